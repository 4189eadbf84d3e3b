import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { RoundRobinPackingConfig, roundRobinPackingConfigSchema } from './round-robin-packing-config.js';
import { roundRobinPackingModule } from './round-robin-packing-module.js';

/** The `round-robin` packing plugin (`egret.packing: round-robin`). */
export const roundRobinPackingPlugin = definePlugin({
  family: 'packing',
  name: 'round-robin',
  description: 'topology.stmgrs containers, instances dealt to them in turn, heaviest RAM first (as Heron)',
  configSchema: roundRobinPackingConfigSchema,
  configToken: RoundRobinPackingConfig,
  module: roundRobinPackingModule,
});
