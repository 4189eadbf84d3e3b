import type { PluginDescriptor } from '../core/plugins/plugin-descriptor.js';
import { balancedPackingPlugin, balancedRepackingPlugin } from './balanced/balanced-plugin.js';
import { ffdPackingPlugin, ffdRepackingPlugin } from './ffd/ffd-plugin.js';
import { resourceCompliantRrPackingPlugin, resourceCompliantRrRepackingPlugin } from './resource-compliant-rr/resource-compliant-rr-plugin.js';
import { roundRobinPackingPlugin } from './round-robin/round-robin-plugin.js';
import { roundRobinRepackingPlugin } from './round-robin/round-robin-repacking-plugin.js';

/** The built-in packing and repacking plugins. */
export const packingPlugins: readonly PluginDescriptor[] = [
  roundRobinPackingPlugin,
  roundRobinRepackingPlugin,
  ffdPackingPlugin,
  ffdRepackingPlugin,
  resourceCompliantRrPackingPlugin,
  resourceCompliantRrRepackingPlugin,
  balancedPackingPlugin,
  balancedRepackingPlugin,
];
