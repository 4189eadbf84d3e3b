import 'reflect-metadata';
import { Container } from 'inversify';
import { type Config, EgretConfig } from '../config/config.js';
import { messageOf } from '../errors.js';
import { Launcher, PluginsUseTls } from '../spi/launcher.js';
import { Packing } from '../spi/packing.js';
import { Repacking } from '../spi/repacking.js';
import { Scheduler } from '../spi/scheduler.js';
import { StateManager } from '../spi/state-manager.js';
import { Uploader } from '../spi/uploader.js';
import { loadExternalPlugins } from './external-plugin-loader.js';
import type { PluginFamily } from './plugin-descriptor.js';
import { validatePluginConfig } from './plugin-config-validator.js';
import { PluginError } from './plugin-error.js';
import type { PluginRegistry, RegisteredPlugin } from './plugin-registry.js';
import { selectPlugin } from './plugin-selection.js';
import { pluginsUseTls } from './plugins-use-tls.js';

/** The DI token each family's module must bind. */
export const FAMILY_TOKENS: Readonly<Record<PluginFamily, symbol>> = {
  scheduler: Scheduler,
  launcher: Launcher,
  uploader: Uploader,
  statemgr: StateManager,
  packing: Packing,
  repacking: Repacking,
};

export interface PluginContainerOptions {
  readonly config: Config;
  readonly registry: PluginRegistry;
  /** The families this process uses; only these are selected, validated and loaded. */
  readonly families: readonly PluginFamily[];
  /** Extra bindings the host provides before plugins load (e.g. the TopologyRuntime). */
  readonly bind?: (container: Container) => void;
}

/**
 * Builds the process's DI container: binds the effective config, loads the external plugins of `egret.plugins`,
 * then for each requested family selects the plugin by name, validates its config, binds it to the plugin's config
 * token and loads its module. Fails at start (PluginError) for an unknown name, an invalid config or a module that
 * does not bind its family's token, before any plugin does work.
 */
export async function createPluginContainer(options: PluginContainerOptions): Promise<Container> {
  const { config, registry } = options;
  await loadExternalPlugins(config, registry);
  const selected = options.families.map((family) => ({ family, plugin: selectPlugin(registry, config, family) }));
  const configs = selected.map(({ plugin }) => validatePluginConfig(plugin.descriptor, config));

  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(EgretConfig).toConstantValue(config);
  // Worked out only for a plugin that asks (the local launcher), not in every process that builds a container.
  container.bind(PluginsUseTls).toDynamicValue(() => pluginsUseTls(registry, config));
  options.bind?.(container);
  for (const [index, { family, plugin }] of selected.entries()) {
    const { descriptor } = plugin;
    if (!container.isBound(descriptor.configToken)) container.bind(descriptor.configToken).toConstantValue(Object.freeze(configs[index]));
    try {
      await container.loadAsync(descriptor.module);
    } catch (error) {
      throw new PluginError(`loading the module of ${family} plugin '${descriptor.name}'${originOf(plugin)} failed: ${messageOf(error)}`, { code: 'PLUGIN_MALFORMED', cause: error });
    }
    if (!container.isBound(FAMILY_TOKENS[family])) {
      throw new PluginError(`the module of ${family} plugin '${descriptor.name}'${originOf(plugin)} does not bind the ${FAMILY_TOKENS[family].description ?? family} token`, {
        code: 'PLUGIN_MALFORMED',
      });
    }
  }
  return container;
}

function originOf(plugin: RegisteredPlugin): string {
  return plugin.origin.kind === 'external' ? ` (from ${plugin.origin.specifier})` : '';
}
