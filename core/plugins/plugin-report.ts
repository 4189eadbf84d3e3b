import type { ConfigValue } from '../../api/config-value.js';
import type { Config } from '../config/config.js';
import { CORE_CONFIG_KEYS } from '../config/core-config-keys.js';
import { isEgretError, messageOf } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { PLUGIN_FAMILIES, type PluginFamily } from './plugin-descriptor.js';
import { validatePluginConfig } from './plugin-config-validator.js';
import type { RegisteredPlugin, PluginRegistry } from './plugin-registry.js';
import { selectedPluginName, selectPlugin } from './plugin-selection.js';

/** What `egret config` shows about one family: the plugin the config selects and its effective config. */
export interface PluginReport {
  readonly family: PluginFamily;
  /** The selected name and where it came from; absent when the key is unset. */
  readonly selection?: { readonly name: string; readonly source: string };
  readonly plugin?: RegisteredPlugin;
  /** The plugin's keys with their validated values and sources ("default (plugin x)" for defaults). */
  readonly config?: ReadonlyArray<{ readonly key: string; readonly value: ConfigValue; readonly source: string }>;
  /** Why the family cannot be used with this config (unknown name, invalid config). */
  readonly problem?: string;
}

/** Reports every family without throwing: problems are returned so all of them can be shown at once. */
export function reportPlugins(config: Config, registry: PluginRegistry): PluginReport[] {
  return PLUGIN_FAMILIES.map((family) => {
    let selection: PluginReport['selection'];
    try {
      const selected = selectedPluginName(config, family);
      selection = { name: selected.name, source: selected.source };
      const plugin = selectPlugin(registry, config, family);
      const values = validatePluginConfig(plugin.descriptor, config, { unresolved: 'keep' });
      const entries = Object.keys(plugin.descriptor.configSchema.shape)
        .sort()
        .map((key) => ({
          key,
          value: values[key] as ConfigValue,
          source: config.has(key) ? config.describeSource(key) : `default (plugin ${plugin.descriptor.name})`,
        }));
      return { family, selection, plugin, config: entries };
    } catch (error) {
      if (!isEgretError(error)) throw error;
      return selection ? { family, selection, problem: messageOf(error) } : { family, problem: messageOf(error) };
    }
  });
}

/**
 * `egret.*` keys that neither Egret's core nor any registered plugin reads: most likely misspelled. Each line names
 * the source and, where one is close, the key meant.
 */
export function unknownEgretKeys(config: Config, registry: PluginRegistry): string[] {
  const known = new Set([...CORE_CONFIG_KEYS, ...registry.knownConfigKeys()]);
  return config
    .entries()
    .filter((entry) => entry.key.startsWith('egret.') && !known.has(entry.key))
    .map((entry) => `${config.describeSource(entry.key)}: ${entry.key} is not a key Egret or a registered plugin reads${didYouMean(entry.key, known)}`);
}
