import type { Config } from '../config/config.js';
import { didYouMean } from '../suggest.js';
import type { PluginDescriptor } from './plugin-descriptor.js';
import { PluginError } from './plugin-error.js';

/**
 * Checks a plugin's keys of the effective config against its schema and returns the validated values, defaults
 * applied. Keys under the plugin's own prefix (`egret.<family>.<name>.`) that the schema does not list are
 * rejected as misspellings. Throws PLUGIN_CONFIG_INVALID naming, for every bad key, its file and line, the key,
 * the expectation and the value found.
 */
export function validatePluginConfig(descriptor: PluginDescriptor, config: Config): Record<string, unknown> {
  const keys = Object.keys(descriptor.configSchema.shape);
  const input = Object.fromEntries(keys.filter((key) => config.has(key)).map((key) => [key, config.get(key)]));
  const problems: string[] = [];
  const prefix = `egret.${descriptor.family}.${descriptor.name}.`;
  for (const entry of config.entries()) {
    if (entry.key.startsWith(prefix) && !keys.includes(entry.key)) {
      problems.push(`${config.describeSource(entry.key)}: ${entry.key} is not a key of this plugin${didYouMean(entry.key, keys)}`);
    }
  }
  const result = descriptor.configSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      const found = config.has(key) ? `, got ${JSON.stringify(config.get(key))}` : '';
      problems.push(`${config.describeSource(key)}: ${key}: ${issue.message}${found}`);
    }
  }
  if (problems.length > 0) {
    const heading = `invalid config for ${descriptor.family} plugin '${descriptor.name}'`;
    throw new PluginError(problems.length === 1 ? `${heading}: ${problems[0]}` : `${heading}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      code: 'PLUGIN_CONFIG_INVALID',
    });
  }
  return (result.success ? result.data : {}) as Record<string, unknown>;
}
