import { parse as parseYaml } from 'yaml';
import type { ConfigValue } from '../../api/config-value.js';
import type { ConfigLayer } from './config.js';
import { ConfigError } from './config-error.js';

const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Parses `--config-property key=value` arguments into the command-line layer. The value is read as a YAML scalar
 * or flow collection, so `2` is a number, `true` a boolean and `[a, b]` a list; quote it (`'"2"'`) to keep a
 * string; `key=` is the empty string. The last of repeated keys wins. Throws CONFIG_BAD_PROPERTY.
 */
export function parseConfigProperties(properties: readonly string[]): ConfigLayer {
  const values = new Map<string, { value: ConfigValue }>();
  for (const property of properties) {
    const equals = property.indexOf('=');
    if (equals < 0) {
      throw new ConfigError(`--config-property '${property}': expected key=value, e.g. topology.stmgrs=2`, { code: 'CONFIG_BAD_PROPERTY' });
    }
    const key = property.slice(0, equals).trim();
    if (!KEY.test(key)) {
      throw new ConfigError(`--config-property '${property}': '${key}' is not a config key (expected letters, digits, '.', '_' and '-', e.g. topology.stmgrs)`, { code: 'CONFIG_BAD_PROPERTY' });
    }
    values.set(key, { value: parseValue(property.slice(equals + 1)) });
  }
  return { source: { kind: 'command-line' }, values };
}

function parseValue(text: string): ConfigValue {
  if (text.trim() === '') return '';
  try {
    const value = parseYaml(text) as ConfigValue;
    // A value like `a: b` would read as a map; a property's value is one value, so keep such text as it is.
    return value !== null && typeof value === 'object' && !Array.isArray(value) && !text.trim().startsWith('{') ? text : value;
  } catch {
    return text;
  }
}
