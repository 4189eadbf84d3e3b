// egret update of an ATLEAST_ONCE topology on the `local` cluster: see update-atleast-once-suite.ts.
import { E2eCluster } from './e2e-cluster.js';
import { updateAtLeastOnceSuite } from './update-atleast-once-suite.js';

const cluster = new E2eCluster('local');
updateAtLeastOnceSuite('egret update of an ATLEAST_ONCE topology on the local cluster', () => cluster);
