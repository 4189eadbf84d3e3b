import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { LocalFsStateManagerConfig, localFsStateManagerConfigSchema } from './localfs-state-manager-config.js';
import { localFsStateManagerModule } from './localfs-state-manager-module.js';

/** The `localfs` state manager plugin (`egret.statemgr: localfs`). */
export const localFsStateManagerPlugin = definePlugin({
  family: 'statemgr',
  name: 'localfs',
  description: 'the state tree in a local directory (atomic files, owner-checked locks and ephemeral nodes, inotify watches)',
  configSchema: localFsStateManagerConfigSchema,
  configToken: LocalFsStateManagerConfig,
  module: localFsStateManagerModule,
  usesTls: false,
});
