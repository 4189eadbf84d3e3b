import { ackingSuite } from './helpers/acking-suite.js';

ackingSuite('ATLEAST_ONCE on one stream manager: XOR trees, fails, timeouts and keys', ['stmgr-1'], () => 'stmgr-1');
