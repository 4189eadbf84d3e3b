import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { LocalSchedulerConfig, localSchedulerConfigSchema } from './local-scheduler-config.js';
import { localSchedulerModule } from './local-scheduler-module.js';

/** The `local` scheduler plugin (`egret.scheduler: local`). */
export const localSchedulerPlugin = definePlugin({
  family: 'scheduler',
  name: 'local',
  description: 'every container as an egret-executor process on this machine, supervised by a scheduler process per topology (service mode)',
  configSchema: localSchedulerConfigSchema,
  configToken: LocalSchedulerConfig,
  module: localSchedulerModule,
  usesTls: false,
});
