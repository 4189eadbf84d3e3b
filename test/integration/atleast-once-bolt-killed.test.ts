import { atLeastOnceUnderFailure } from './atleast-once-suite.js';

atLeastOnceUnderFailure('bolt');
