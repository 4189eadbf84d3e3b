import type { PluginDescriptor } from '../core/plugins/plugin-descriptor.js';
import { localFsStateManagerPlugin } from './localfs/localfs-state-manager-plugin.js';
import { zooKeeperStateManagerPlugin } from './zookeeper/zookeeper-state-manager-plugin.js';

/** The built-in state manager plugins. */
export const stateManagerPlugins: readonly PluginDescriptor[] = [localFsStateManagerPlugin, zooKeeperStateManagerPlugin];
