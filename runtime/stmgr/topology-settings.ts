import type { ConfigValue } from '../../api/config-value.js';
import { readTopologyConfig, TopologyConfigKeys } from '../../api/topology-config.js';
import { configFromProto, type heron } from '../../core/proto/index.js';
import type { DataPathRouting } from '../../native/data-path-types.js';

/** The topology settings the data path's routing carries (native/PROTOCOL.md §7–8). */
export type DataPathTopologySettings = Required<Pick<DataPathRouting, 'reliability' | 'messageTimeoutMs' | 'dropTuplesUponBackPressure'>>;

/** Where a key the topology does not set comes from: the package's config (the cluster's and command line's). */
export type ConfigFallback = (key: string) => ConfigValue | undefined;

const KEYS = [TopologyConfigKeys.RELIABILITY_MODE, TopologyConfigKeys.MESSAGE_TIMEOUT_SECS, TopologyConfigKeys.DROPTUPLES_UPON_BACKPRESSURE] as const;

/**
 * The reliability mode, message timeout and drop-on-back-pressure flag of a topology, as the topology manager reads
 * them: the topology's own config first, then `fallback`, then the defaults. Throws the TopologyError of a bad
 * value, and an Error for EFFECTIVELY_ONCE, which the data path does not run.
 */
export function topologySettingsOf(topology: heron.proto.api.Topology.$Properties, fallback: ConfigFallback = () => undefined): DataPathTopologySettings {
  const own = configFromProto(topology.topologyConfig, 'topology config');
  const values: Record<string, ConfigValue> = {};
  for (const key of KEYS) {
    const value = own[key] ?? fallback(key);
    if (value !== undefined) values[key] = value;
  }
  const config = readTopologyConfig(values);
  if (config.reliabilityMode === 'EFFECTIVELY_ONCE') throw new Error(`${TopologyConfigKeys.RELIABILITY_MODE} EFFECTIVELY_ONCE is not run by this stream manager`);
  return { reliability: config.reliabilityMode, messageTimeoutMs: config.messageTimeoutSecs * 1000, dropTuplesUponBackPressure: config.dropTuplesUponBackpressure };
}
