// egret update of an ATLEAST_ONCE topology on the `localzk` cluster (state in a real ZooKeeper, from Debian): see
// update-atleast-once-suite.ts.
import { useZooKeeper } from '../helpers/zookeeper-server.js';
import { E2eCluster } from './e2e-cluster.js';
import { updateAtLeastOnceSuite } from './update-atleast-once-suite.js';

const zookeeper = useZooKeeper();
const cluster = new E2eCluster('localzk', () => [`egret.statemgr.zookeeper.connection.string=${zookeeper().connectionString}`]);
updateAtLeastOnceSuite('egret update of an ATLEAST_ONCE topology on the localzk cluster', () => cluster);
