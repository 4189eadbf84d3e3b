import type { ConfigValue } from '../../api/config-value.js';
import { messageTimeoutMsOf, readTopologyConfig, TopologyConfigKeys } from '../../api/topology-config.js';
import { configFromProto, type heron } from '../../core/proto/index.js';
import type { DataPathRouting } from '../../native/data-path-types.js';

/** The topology settings the data path's routing carries (native/PROTOCOL.md §7–8). */
export type DataPathTopologySettings = Required<Pick<DataPathRouting, 'reliability' | 'messageTimeoutMs' | 'dropTuplesUponBackPressure'>>;

/** Where a key the topology does not set comes from: the package's config (the cluster's and command line's). */
export type ConfigFallback = (key: string) => ConfigValue | undefined;

const KEYS = [TopologyConfigKeys.RELIABILITY_MODE, TopologyConfigKeys.MESSAGE_TIMEOUT_SECS, TopologyConfigKeys.ENABLE_MESSAGE_TIMEOUTS, TopologyConfigKeys.DROPTUPLES_UPON_BACKPRESSURE] as const;
/** The keys a spout's own config may set for itself: its instance times its roots out by them. */
const SPOUT_KEYS: ReadonlySet<string> = new Set([TopologyConfigKeys.MESSAGE_TIMEOUT_SECS, TopologyConfigKeys.ENABLE_MESSAGE_TIMEOUTS]);

/**
 * The reliability mode, message timeout and drop-on-back-pressure flag of a topology, as the topology manager reads
 * them: the topology's own config first, then `fallback`, then the defaults. Throws the TopologyError of a bad
 * value, and an Error for EFFECTIVELY_ONCE, which the data path does not run.
 *
 * The message timeout is how long the stream manager keeps a pending root. A spout instance times its roots out by
 * its component's config, which may override the topology's, so it is the longest of the spouts' timeouts, and 0
 * (kept until its tree ends) when a spout has `topology.enable.message.timeouts` false: a root forgotten earlier than
 * its spout gives up on it would never be acked nor failed.
 */
export function topologySettingsOf(topology: heron.proto.api.Topology.$Properties, fallback: ConfigFallback = () => undefined): DataPathTopologySettings {
  const own = configFromProto(topology.topologyConfig, 'topology config');
  const read = (overrides: Readonly<Record<string, ConfigValue>>) => {
    const values: Record<string, ConfigValue> = {};
    for (const key of KEYS) {
      const value = (SPOUT_KEYS.has(key) ? overrides[key] : undefined) ?? own[key] ?? fallback(key);
      if (value !== undefined) values[key] = value;
    }
    return readTopologyConfig(values);
  };
  const config = read({});
  if (config.reliabilityMode === 'EFFECTIVELY_ONCE') throw new Error(`${TopologyConfigKeys.RELIABILITY_MODE} EFFECTIVELY_ONCE is not run by this stream manager`);
  const spouts = (topology.spouts ?? []).map((spout) => read(configFromProto(spout.comp.config, `component '${spout.comp.name}' config`)));
  const timeouts = (spouts.length > 0 ? spouts : [config]).map(messageTimeoutMsOf);
  return {
    reliability: config.reliabilityMode,
    messageTimeoutMs: timeouts.includes(0) ? 0 : Math.max(...timeouts),
    dropTuplesUponBackPressure: config.dropTuplesUponBackpressure,
  };
}
