import { groupingSuite } from './helpers/grouping-suite.js';

// Odd tasks on one container, even on the other: every grouping has local and remote destinations, and the two
// spouts' tuples cross in both directions over TCP.
groupingSuite('two stream managers peered over TCP route every grouping across them', ['stmgr-1', 'stmgr-2'], (task) => (task % 2 === 1 ? 'stmgr-1' : 'stmgr-2'));
