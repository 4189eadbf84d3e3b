import { Container } from 'inversify';
import type { PluginDescriptor, PluginFamily } from '../core/plugins/plugin-descriptor.js';
import { Packing } from '../core/spi/packing.js';
import { Repacking } from '../core/spi/repacking.js';
import { packingPlugins } from '../packing/index.js';

/** A packing algorithm under benchmark: its registered plugins, loaded as Egret loads them. */
export interface BenchAlgorithm {
  /** Short key used in the JSON figures (`rr`, `ffd`, `rcrr`, `balanced`). */
  readonly key: string;
  /** The plugin name (`egret.packing: <name>`). */
  readonly name: string;
  /** Absent when no packing plugin of that name is registered. */
  readonly packing?: Packing;
  /** Absent when no repacking plugin of that name is registered. */
  readonly repacking?: Repacking;
}

/** The algorithms the packing benchmark compares, in the order its table shows them. */
export const BENCH_ALGORITHMS: ReadonlyArray<{ readonly key: string; readonly name: string }> = [
  { key: 'rr', name: 'round-robin' },
  { key: 'ffd', name: 'ffd' },
  { key: 'rcrr', name: 'resource-compliant-rr' },
  { key: 'balanced', name: 'balanced' },
];

/**
 * Loads each algorithm's packing and repacking plugins from the built-in registry, each into its own inversify
 * container with its default config, as the plugin container does: the benchmark times the real plugins, and an
 * algorithm not (yet) registered is reported missing rather than stood in for.
 */
export async function loadBenchAlgorithms(): Promise<BenchAlgorithm[]> {
  const algorithms: BenchAlgorithm[] = [];
  for (const { key, name } of BENCH_ALGORITHMS) {
    const packing = await loadPlugin<Packing>('packing', name, Packing);
    const repacking = await loadPlugin<Repacking>('repacking', name, Repacking);
    algorithms.push({ key, name, ...(packing ? { packing } : {}), ...(repacking ? { repacking } : {}) });
  }
  return algorithms;
}

async function loadPlugin<T>(family: PluginFamily, name: string, token: symbol): Promise<T | undefined> {
  const descriptor: PluginDescriptor | undefined = packingPlugins.find((plugin) => plugin.family === family && plugin.name === name);
  if (!descriptor) return undefined;
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(descriptor.configToken).toConstantValue(descriptor.configSchema.parse({}));
  await container.load(descriptor.module);
  return container.get<T>(token);
}
