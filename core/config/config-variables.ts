import { homedir, userInfo } from 'node:os';
import type { ConfigValue } from '../../api/config-value.js';
import { Config, type ConfigLayer } from './config.js';
import { ConfigError } from './config-error.js';
import { describeSource } from './config-source.js';

/** The variables a config value may use as `${NAME}` (a type, not an interface, so it is a plain record of names). */
export type ConfigVariables = {
  readonly HOME: string;
  readonly CLUSTER: string;
  readonly ROLE: string;
  readonly ENVIRON: string;
  /** Unknown outside a topology command (`egret config`): `${TOPOLOGY}` is then left as it is. */
  readonly TOPOLOGY?: string;
};

export const CONFIG_VARIABLE_NAMES: readonly (keyof ConfigVariables)[] = ['HOME', 'CLUSTER', 'ROLE', 'ENVIRON', 'TOPOLOGY'];

/** The OS user, the default role. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}

/** Variables for a cluster, with role defaulting to the OS user and environment to `default`. */
export function configVariables(options: { cluster: string; role?: string; environment?: string; topology?: string }): ConfigVariables {
  return {
    HOME: homedir(),
    CLUSTER: options.cluster,
    ROLE: options.role ?? currentUser(),
    ENVIRON: options.environment ?? 'default',
    ...(options.topology === undefined ? {} : { TOPOLOGY: options.topology }),
  };
}

const TOKEN = /(\$?)\$\{([^}]*)\}/g;

/**
 * Replaces `${NAME}` in every string value (inside lists and maps too) with the variable's value; `$${NAME}` stays
 * as the literal `${NAME}`. Throws CONFIG_UNKNOWN_VARIABLE, naming the source and key, for a name that is not a
 * variable.
 */
export function substituteVariables(config: Config, variables: ConfigVariables): Config {
  const layers: ConfigLayer[] = config.layers.map((layer) => ({
    source: layer.source,
    values: new Map(
      [...layer.values].map(([key, entry]) => {
        const where = () => `${describeSource(entry.source ?? layer.source)}: ${key}`;
        return [key, { ...entry, value: substituteValue(entry.value, variables, where) }];
      }),
    ),
  }));
  return new Config(layers, variables);
}

/**
 * Substitutes variables in one value (as {@link substituteVariables} does for a whole config); `where` names the
 * value's source and key for the error about an unknown variable.
 */
export function substituteValue(value: ConfigValue, variables: Readonly<Partial<Record<string, string>>>, where: () => string): ConfigValue {
  if (typeof value === 'string') {
    return value.replace(TOKEN, (match, escape: string, name: string) => {
      if (escape) return match.slice(1);
      if (!(CONFIG_VARIABLE_NAMES as readonly string[]).includes(name)) {
        throw new ConfigError(`${where()}: unknown variable \${${name}} (known: ${CONFIG_VARIABLE_NAMES.map((n) => `\${${n}}`).join(', ')}; write $\${${name}} for a literal)`, {
          code: 'CONFIG_UNKNOWN_VARIABLE',
        });
      }
      return variables[name] ?? match;
    });
  }
  if (Array.isArray(value)) return value.map((item: ConfigValue) => substituteValue(item, variables, where));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteValue(v, variables, where)]));
  }
  return value;
}
