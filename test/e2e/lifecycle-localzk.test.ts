// The lifecycle on the `localzk` cluster (local scheduler, state in a real ZooKeeper), end to end through the real
// `egret` command: see lifecycle-suite.ts. The server is Debian's, on a random port (test/helpers/zookeeper-server.ts);
// every command gets its address as a --config-property, and the package carries it to every process.
import { useZooKeeper } from '../helpers/zookeeper-server.js';
import { E2eCluster } from './e2e-cluster.js';
import { lifecycleSuite } from './lifecycle-suite.js';

const zookeeper = useZooKeeper();
const cluster = new E2eCluster('localzk', () => [`egret.statemgr.zookeeper.connection.string=${zookeeper().connectionString}`]);
lifecycleSuite('the lifecycle of word count on the localzk cluster', () => cluster);
