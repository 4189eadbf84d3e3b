import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { RoundRobinRepackingConfig, roundRobinRepackingConfigSchema } from './round-robin-repacking-config.js';
import { roundRobinRepackingModule } from './round-robin-repacking-module.js';

/** The `round-robin` repacking plugin (`egret.repacking: round-robin`). */
export const roundRobinRepackingPlugin = definePlugin({
  family: 'repacking',
  name: 'round-robin',
  description: 'packs afresh round-robin, over as many containers as keep the instances per container (as Heron)',
  configSchema: roundRobinRepackingConfigSchema,
  configToken: RoundRobinRepackingConfig,
  module: roundRobinRepackingModule,
});
