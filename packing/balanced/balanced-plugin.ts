import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { BalancedPackingConfig, BalancedRepackingConfig, balancedConfigSchema } from './balanced-config.js';
import { balancedPackingModule, balancedRepackingModule } from './balanced-module.js';

/** The `balanced` packing plugin (`egret.packing: balanced`). */
export const balancedPackingPlugin = definePlugin({
  family: 'packing',
  name: 'balanced',
  description: 'multi-resource packing: fills one container at a time with the instances that best match its room in cpu, RAM, disk and count',
  configSchema: balancedConfigSchema,
  configToken: BalancedPackingConfig,
  module: balancedPackingModule,
});

/** The `balanced` repacking plugin (`egret.repacking: balanced`). */
export const balancedRepackingPlugin = definePlugin({
  family: 'repacking',
  name: 'balanced',
  description: 'scales down from the emptiest containers, then fills the room left, and new containers, the balanced way',
  configSchema: balancedConfigSchema,
  configToken: BalancedRepackingConfig,
  module: balancedRepackingModule,
});
