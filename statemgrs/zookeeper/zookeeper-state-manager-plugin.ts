import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { ZooKeeperStateManagerConfig, zooKeeperStateManagerConfigSchema } from './zookeeper-state-manager-config.js';
import { zooKeeperStateManagerModule } from './zookeeper-state-manager-module.js';

/** The `zookeeper` state manager plugin (`egret.statemgr: zookeeper`). */
export const zooKeeperStateManagerPlugin = definePlugin({
  family: 'statemgr',
  name: 'zookeeper',
  description: 'the state tree in ZooKeeper (ephemeral locations, lock recipe, survives session expiry)',
  configSchema: zooKeeperStateManagerConfigSchema,
  configToken: ZooKeeperStateManagerConfig,
  module: zooKeeperStateManagerModule,
  // node-zookeeper-client speaks plain TCP only.
  usesTls: false,
});
