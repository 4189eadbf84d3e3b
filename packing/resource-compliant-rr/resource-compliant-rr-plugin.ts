import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { ResourceCompliantRrPackingConfig, ResourceCompliantRrRepackingConfig, resourceCompliantRrConfigSchema } from './resource-compliant-rr-config.js';
import { resourceCompliantRrPackingModule, resourceCompliantRrRepackingModule } from './resource-compliant-rr-module.js';

/** The `resource-compliant-rr` packing plugin (`egret.packing: resource-compliant-rr`). */
export const resourceCompliantRrPackingPlugin = definePlugin({
  family: 'packing',
  name: 'resource-compliant-rr',
  description: 'topology.stmgrs containers, instances dealt in turn; one more container whenever one would overflow (as Heron)',
  configSchema: resourceCompliantRrConfigSchema,
  configToken: ResourceCompliantRrPackingConfig,
  module: resourceCompliantRrPackingModule,
});

/** The `resource-compliant-rr` repacking plugin (`egret.repacking: resource-compliant-rr`). */
export const resourceCompliantRrRepackingPlugin = definePlugin({
  family: 'repacking',
  name: 'resource-compliant-rr',
  description: 'adds the containers the net change needs, scales down, then places new instances round-robin where they fit',
  configSchema: resourceCompliantRrConfigSchema,
  configToken: ResourceCompliantRrRepackingConfig,
  module: resourceCompliantRrRepackingModule,
});
