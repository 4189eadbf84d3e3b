import { fileURLToPath } from 'node:url';
import { useZooKeeper } from '../helpers/zookeeper-server.js';
import { stateManagerContract } from './statemgr.js';

const SESSION_TIMEOUT_MS = 2000;
const zookeeper = useZooKeeper();
let trees = 0;

stateManagerContract({
  name: 'zookeeper',
  plugin: { module: fileURLToPath(new URL('../../statemgrs/zookeeper/zookeeper-state-manager-plugin.js', import.meta.url)), exportName: 'zooKeeperStateManagerPlugin' },
  freshTree: () => ({
    'egret.statemgr.zookeeper.connection.string': zookeeper().connectionString,
    'egret.statemgr.zookeeper.root': `/egret-contract-${process.pid}-${++trees}`,
    'egret.statemgr.zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS,
    'egret.statemgr.zookeeper.connect.timeout.ms': 3000,
  }),
  writeRawNodes: async (config, nodes) => {
    const root = String(config['egret.statemgr.zookeeper.root']);
    // ZooKeeper's own CLI: `create` for a new node, `set` for an existing one (one of the two fails, harmlessly).
    zookeeper().cli(nodes.flatMap(({ kind, topology, text }) => [`create ${root}/${kind}/${topology} "${text}"`, `set ${root}/${kind}/${topology} "${text}"`]));
  },
  // The server notices a dead client within its session timeout (plus a tick or two).
  releaseAfterDeathMs: SESSION_TIMEOUT_MS + 1000,
});
