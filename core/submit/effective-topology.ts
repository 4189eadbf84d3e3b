import { readTopologyConfig, unknownTopologyKeys } from '../../api/topology-config.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { type Config, layerOf } from '../config/config.js';

/** A topology with the config it will really run with, and the full config it was derived from. */
export interface EffectiveTopology {
  /** The topology, its `config` replaced by the effective topology config. */
  readonly topology: TopologyDefinition;
  /** The cluster config with the topology's layer merged in. */
  readonly config: Config;
  /** Misspelled-looking `topology.*` keys, for the user to see. */
  readonly warnings: readonly string[];
}

/**
 * Merges a topology's own config into the cluster config (cluster files < the topology < `--config-property`) and
 * gives the topology the effective value of every `topology.*` key and of its own keys. The known topology keys
 * are checked here, so a bad value fails before any plugin runs, naming where it came from.
 */
export function effectiveTopology(topology: TopologyDefinition, clusterConfig: Config, topologyFile?: string): EffectiveTopology {
  const config = clusterConfig.withLayer(layerOf(topologyFile === undefined ? { kind: 'topology' } : { kind: 'topology', file: topologyFile }, topology.config));
  const topologyConfig = Object.fromEntries(
    config
      .entries()
      .filter((entry) => entry.key.startsWith('topology.') || entry.key in topology.config)
      .map((entry) => [entry.key, entry.value]),
  );
  readTopologyConfig(topologyConfig, (key) => config.describeSource(key));
  const warnings = unknownTopologyKeys(topologyConfig).map((warning) => {
    const key = warning.split(' ')[0] ?? '';
    return `${config.describeSource(key)}: ${warning}`;
  });
  return { topology: Object.freeze({ ...topology, config: Object.freeze(topologyConfig) }), config, warnings };
}
