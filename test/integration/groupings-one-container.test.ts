import { groupingsSuite } from './groupings-suite.js';

groupingsSuite(1);
