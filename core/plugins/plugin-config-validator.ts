import type { ConfigValue } from '../../api/config-value.js';
import type { Config } from '../config/config.js';
import { substituteValue } from '../config/config-variables.js';
import { didYouMean } from '../suggest.js';
import type { PluginDescriptor } from './plugin-descriptor.js';
import { PluginError } from './plugin-error.js';

/**
 * Checks a plugin's keys of the effective config against its schema and returns the validated values, defaults
 * applied (and, where the config was substituted, its `${NAME}` variables substituted in them). Keys under the plugin's own prefix (`egret.<family>.<name>.`) that the schema does not list are
 * rejected as misspellings. Throws PLUGIN_CONFIG_INVALID naming, for every bad key, its file and line, the key,
 * the expectation and the value found.
 */
export function validatePluginConfig(descriptor: PluginDescriptor, config: Config, options: { readonly unresolved?: 'error' | 'keep' } = {}): Record<string, unknown> {
  const keys = Object.keys(descriptor.configSchema.shape);
  const input = Object.fromEntries(keys.filter((key) => config.has(key)).map((key) => [key, config.get(key)]));
  const problems: string[] = [];
  const prefix = `egret.${descriptor.family}.${descriptor.name}.`;
  const strays = Object.keys(config.toMap()).filter((key) => key.startsWith(prefix) && !keys.includes(key));
  for (const key of strays.sort()) problems.push(`${config.describeSource(key)}: ${key} is not a key of this plugin${didYouMean(key, keys)}`);
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
  const values = (result.success ? result.data : {}) as Record<string, unknown>;
  const variables = config.variables;
  if (!variables) return values;
  // Values from the config were substituted when it was loaded; only the schema's defaults still hold variables.
  const substituted = Object.entries(values).map(([key, value]): [string, unknown] => {
    if (config.has(key) || value === undefined) return [key, value];
    const where = () => `default of ${descriptor.family} plugin '${descriptor.name}': ${key}`;
    const result = substituteValue(value as ConfigValue, variables, where);
    const unknown = options.unresolved === 'keep' ? undefined : /\$\{([A-Z]+)\}/.exec(JSON.stringify(result))?.[1];
    if (unknown) {
      // A default naming a variable this process does not know (${TOPOLOGY} outside a topology command) would be
      // used as a literal path; refuse rather than write to a directory called `${TOPOLOGY}`.
      throw new PluginError(`${where()}: \${${unknown}} is not known here; set ${key} explicitly`, { code: 'PLUGIN_CONFIG_INVALID' });
    }
    return [key, result];
  });
  return Object.fromEntries(substituted);
}