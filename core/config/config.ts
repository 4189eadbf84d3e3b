import type { ConfigMap, ConfigValue } from '../../api/config-value.js';
import { type ConfigSource, describeSource, SOURCE_RANK } from './config-source.js';
import { byCodeUnit } from '../code-unit-order.js';

/** One source's values: what a file, the topology or the command line says. */
export interface ConfigLayer {
  readonly source: ConfigSource;
  /** Values by key, each with its own source when it differs from the layer's (a file's keys carry their line). */
  readonly values: ReadonlyMap<string, { readonly value: ConfigValue; readonly source?: ConfigSource }>;
}

/** A value with where it came from, and the values it overrode (most recent first). */
export interface ConfigEntry {
  readonly key: string;
  readonly value: ConfigValue;
  readonly source: ConfigSource;
  readonly overridden: ReadonlyArray<{ readonly value: ConfigValue; readonly source: ConfigSource }>;
}

/** DI token of the process's effective {@link Config}. */
export const EgretConfig: unique symbol = Symbol.for('egret.config');

/**
 * The effective configuration: layers of values merged by precedence (defaults < cluster files in their order <
 * the topology's own config < `--config-property`), each key remembering its source. Immutable.
 */
export class Config {
  private readonly merged: ReadonlyMap<string, ConfigEntry>;

  /**
   * @param layers the values, by source.
   * @param variables the `${NAME}` values the layers were substituted with, if they were; plugin defaults get them
   *   too (see validatePluginConfig), since a default such as `${HOME}/.egret/state/${CLUSTER}` is no file's value.
   */
  constructor(
    readonly layers: readonly ConfigLayer[],
    readonly variables?: Readonly<Partial<Record<string, string>>>,
  ) {
    const ordered = layers.map((layer, index) => ({ layer, index })).sort((a, b) => SOURCE_RANK[a.layer.source.kind] - SOURCE_RANK[b.layer.source.kind] || a.index - b.index);
    const merged = new Map<string, ConfigEntry>();
    for (const { layer } of ordered) {
      for (const [key, { value, source }] of layer.values) {
        const previous = merged.get(key);
        const overridden = previous ? [{ value: previous.value, source: previous.source }, ...previous.overridden] : [];
        merged.set(key, { key, value, source: source ?? layer.source, overridden });
      }
    }
    this.merged = merged;
  }

  /** An empty config. */
  static empty(): Config {
    return new Config([]);
  }

  /** A config with one more layer (placed by its source's precedence). */
  withLayer(layer: ConfigLayer): Config {
    return new Config([...this.layers, layer], this.variables);
  }

  get(key: string): ConfigValue | undefined {
    return this.merged.get(key)?.value;
  }

  has(key: string): boolean {
    return this.merged.has(key);
  }

  entry(key: string): ConfigEntry | undefined {
    return this.merged.get(key);
  }

  /** Every entry, sorted by key. */
  entries(): ConfigEntry[] {
    return [...this.merged.values()].sort((a, b) => byCodeUnit(a.key, b.key));
  }

  /** The values as a plain map. */
  toMap(): ConfigMap {
    return Object.fromEntries([...this.merged].map(([key, entry]) => [key, entry.value]));
  }

  /** Where a key's value came from, for messages: `conf/local/packing.yaml:4`; `unset` when absent. */
  describeSource(key: string): string {
    const entry = this.merged.get(key);
    return entry ? describeSource(entry.source) : 'unset';
  }
}

/** A layer from a plain object, all values with the same source. */
export function layerOf(source: ConfigSource, values: Readonly<Record<string, ConfigValue>>): ConfigLayer {
  return { source, values: new Map(Object.entries(values).map(([key, value]) => [key, { value }])) };
}
