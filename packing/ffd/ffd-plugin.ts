import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { FfdPackingConfig, FfdRepackingConfig, ffdConfigSchema } from './ffd-config.js';
import { ffdPackingModule, ffdRepackingModule } from './ffd-module.js';

/** The `ffd` packing plugin (`egret.packing: ffd`). */
export const ffdPackingPlugin = definePlugin({
  family: 'packing',
  name: 'ffd',
  description: 'first-fit decreasing: largest components first, each instance into the first container with room',
  configSchema: ffdConfigSchema,
  configToken: FfdPackingConfig,
  module: ffdPackingModule,
});

/** The `ffd` repacking plugin (`egret.repacking: ffd`). */
export const ffdRepackingPlugin = definePlugin({
  family: 'repacking',
  name: 'ffd',
  description: 'scales down from the emptiest containers, then places new instances first fit, adding containers as needed',
  configSchema: ffdConfigSchema,
  configToken: FfdRepackingConfig,
  module: ffdRepackingModule,
});
