import { groupingsSuite } from './groupings-suite.js';

groupingsSuite(2);
