import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { LocalSchedulerConfig, localSchedulerConfigSchema } from './local-scheduler-config.js';
import { localLauncherModule } from './local-launcher-module.js';

/**
 * The `local` launcher plugin (`egret.launcher: local`, the default with `egret.scheduler: local`). It reads the
 * scheduler's keys (`egret.scheduler.local.*`), bound under the same token.
 */
export const localLauncherPlugin = definePlugin({
  family: 'launcher',
  name: 'local',
  description: 'starts the topology\'s scheduler process on this machine, detached from the submitting command, and waits for its location',
  configSchema: localSchedulerConfigSchema,
  configToken: LocalSchedulerConfig,
  module: localLauncherModule,
  usesTls: false,
});
