import { atLeastOnceUnderFailure } from './atleast-once-suite.js';

atLeastOnceUnderFailure('stmgr');
