import { groupingSuite } from './helpers/grouping-suite.js';

groupingSuite('one stream manager routes every grouping between local instances', ['stmgr-1'], () => 'stmgr-1');
