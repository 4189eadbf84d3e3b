import { ackingSuite } from './helpers/acking-suite.js';

// The spout, one split and one count on stmgr-1, the others on stmgr-2: edges, emits and acks cross both ways.
ackingSuite('ATLEAST_ONCE across two stream managers: XOR trees, fails, timeouts and keys', ['stmgr-1', 'stmgr-2'], (task) => ([1, 2, 5].includes(task) ? 'stmgr-1' : 'stmgr-2'));
