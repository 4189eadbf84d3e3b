import type { PluginDescriptor } from '../core/plugins/plugin-descriptor.js';
import { PluginRegistry } from '../core/plugins/plugin-registry.js';
import { packingPlugins } from '../packing/index.js';
import { schedulerPlugins } from '../schedulers/index.js';
import { stateManagerPlugins } from '../statemgrs/index.js';
import { uploaderPlugins } from '../uploaders/index.js';

/** The plugins that ship with Egret. Entry points are the only place that names them (core never imports a plugin). */
export const BUILT_IN_PLUGINS: readonly PluginDescriptor[] = [...packingPlugins, ...stateManagerPlugins, ...uploaderPlugins, ...schedulerPlugins];

/** A registry holding the built-in plugins. */
export function builtInRegistry(): PluginRegistry {
  return PluginRegistry.of(BUILT_IN_PLUGINS);
}
