import type { Config } from '../config/config.js';
import { describeSource } from '../config/config-source.js';
import { didYouMean } from '../suggest.js';
import { PLUGIN_SELECTION_KEYS, type PluginFamily } from './plugin-descriptor.js';
import { PluginError } from './plugin-error.js';
import type { PluginRegistry, RegisteredPlugin } from './plugin-registry.js';

/** A family's selected plugin name, the key that chose it and a description of where that came from. */
export interface PluginSelection {
  readonly family: PluginFamily;
  readonly name: string;
  readonly key: string;
  readonly source: string;
}

/**
 * The plugin name a config selects for a family. `egret.launcher` defaults to the scheduler's name (a scheduler
 * plugin brings its own launcher). Throws PLUGIN_NOT_SELECTED when the key is unset, PLUGIN_UNKNOWN-style
 * CONFIG messages when it is not a string.
 */
export function selectedPluginName(config: Config, family: PluginFamily): PluginSelection {
  const key = PLUGIN_SELECTION_KEYS[family];
  const entry = config.entry(key);
  if (!entry && family === 'launcher') {
    const scheduler = selectedPluginName(config, 'scheduler');
    return { family, name: scheduler.name, key, source: `default: the scheduler's own (${scheduler.key} at ${scheduler.source})` };
  }
  if (!entry) {
    throw new PluginError(`${key} is not set: the cluster config must name a ${family} plugin`, { code: 'PLUGIN_NOT_SELECTED' });
  }
  if (typeof entry.value !== 'string' || entry.value.trim() === '') {
    throw new PluginError(`${describeSource(entry.source)}: ${key}: expected the name of a ${family} plugin, got ${JSON.stringify(entry.value)}`, { code: 'PLUGIN_NOT_SELECTED' });
  }
  return { family, name: entry.value.trim(), key, source: describeSource(entry.source) };
}

/**
 * The registered plugin a config selects for a family. An unknown or misspelled name fails here, at start, with
 * the key, the file it came from and the registered names (never a silent fallback to a default).
 */
export function selectPlugin(registry: PluginRegistry, config: Config, family: PluginFamily): RegisteredPlugin {
  const selection = selectedPluginName(config, family);
  const plugin = registry.find(family, selection.name);
  if (!plugin) {
    const names = registry.names(family);
    throw new PluginError(
      `${selection.source}: ${selection.key}: no ${family} plugin named '${selection.name}'${didYouMean(selection.name, names)}; registered ${family} plugins: ${names.join(', ') || 'none'}` +
        ' (external plugins are listed under egret.plugins)',
      { code: 'PLUGIN_UNKNOWN' },
    );
  }
  return plugin;
}
