import type { PluginDescriptor } from '../core/plugins/plugin-descriptor.js';
import { roundRobinPackingPlugin } from './round-robin/round-robin-plugin.js';

/** The built-in packing and repacking plugins. */
export const packingPlugins: readonly PluginDescriptor[] = [roundRobinPackingPlugin];
