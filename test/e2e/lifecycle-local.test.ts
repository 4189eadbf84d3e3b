// The lifecycle on the `local` cluster (local scheduler, localfs state, localfs uploader), end to end through the
// real `egret` command: see lifecycle-suite.ts.
import { E2eCluster } from './e2e-cluster.js';
import { lifecycleSuite } from './lifecycle-suite.js';

const cluster = new E2eCluster('local');
lifecycleSuite('the lifecycle of word count on the local cluster', () => cluster);
