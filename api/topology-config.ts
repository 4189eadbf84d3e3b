import { didYouMean } from '../core/suggest.js';
import { BYTE_AMOUNT_EXPECTATION, parseByteAmount } from './byte-amount.js';
import type { ConfigMap, ConfigValue } from './config-value.js';
import { TopologyError } from './topology-error.js';

/** Topology config keys, with Heron's and Storm's names. */
export const TopologyConfigKeys = {
  /** Number of containers (stream managers). Default 1. */
  STMGRS: 'topology.stmgrs',
  /** Roots in flight per spout task before nextTuple pauses (ATLEAST_ONCE). Default 100. */
  MAX_SPOUT_PENDING: 'topology.max.spout.pending',
  /** Seconds before an incomplete tuple tree fails. Default 30. */
  MESSAGE_TIMEOUT_SECS: 'topology.message.timeout.secs',
  /** ATMOST_ONCE (default), ATLEAST_ONCE or EFFECTIVELY_ONCE. */
  RELIABILITY_MODE: 'topology.reliability.mode',
  ENABLE_MESSAGE_TIMEOUTS: 'topology.enable.message.timeouts',
  DEBUG: 'topology.debug',
  /** Seconds between tick tuples to every bolt; absent: no ticks. */
  TICK_TUPLE_FREQ_SECS: 'topology.tick.tuple.freq.secs',
  /** Drop tuples to a slow consumer instead of applying back pressure. */
  DROPTUPLES_UPON_BACKPRESSURE: 'topology.droptuples.upon.backpressure',
  CONTAINER_CPU: 'topology.container.cpu',
  CONTAINER_RAM: 'topology.container.ram',
  CONTAINER_DISK: 'topology.container.disk',
  CONTAINER_MAX_INSTANCES: 'topology.container.max.instances',
  CONTAINER_PADDING_PERCENTAGE: 'topology.container.padding.percentage',
  CONTAINER_CPU_PADDING: 'topology.container.cpu.padding',
  CONTAINER_RAM_PADDING: 'topology.container.ram.padding',
  CONTAINER_DISK_PADDING: 'topology.container.disk.padding',
  /** RAM_FIRST (default) or CPU_FIRST: the sort of first-fit-decreasing packing. */
  PACKING_FFD_SORTING_STRATEGY: 'topology.packing.ffd.sorting.strategy',
  UPDATE_DEACTIVATE_WAIT_SECS: 'topology.update.deactivate.wait.secs',
  UPDATE_REACTIVATE_WAIT_SECS: 'topology.update.reactivate.wait.secs',
  /** How tuple values are serialized: `egret` (default) or a module path (see api/serializer.ts). */
  SERIALIZER: 'topology.serializer',
} as const;

export type ReliabilityMode = 'ATMOST_ONCE' | 'ATLEAST_ONCE' | 'EFFECTIVELY_ONCE';
export const RELIABILITY_MODES: readonly ReliabilityMode[] = ['ATMOST_ONCE', 'ATLEAST_ONCE', 'EFFECTIVELY_ONCE'];
export type FfdSortingStrategy = 'RAM_FIRST' | 'CPU_FIRST';

/** The known topology keys, parsed and typed. Keys without a default are undefined when unset. */
export interface TopologyConfig {
  readonly stmgrs: number;
  readonly maxSpoutPending: number;
  readonly messageTimeoutSecs: number;
  readonly reliabilityMode: ReliabilityMode;
  readonly enableMessageTimeouts: boolean;
  readonly debug: boolean;
  readonly tickTupleFreqSecs?: number;
  readonly dropTuplesUponBackpressure: boolean;
  readonly containerCpu?: number;
  readonly containerRam?: number;
  readonly containerDisk?: number;
  readonly containerMaxInstances?: number;
  readonly containerPaddingPercentage?: number;
  readonly containerCpuPadding?: number;
  readonly containerRamPadding?: number;
  readonly containerDiskPadding?: number;
  readonly ffdSortingStrategy: FfdSortingStrategy;
  readonly updateDeactivateWaitSecs: number;
  readonly updateReactivateWaitSecs: number;
  readonly serializer: string;
}

type Parser = (value: ConfigValue) => unknown;

const positiveInt: Parser = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : undefined);
const nonNegativeInt: Parser = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
const positiveNumber: Parser = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
const nonNegativeNumber: Parser = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const boolean: Parser = (v) => (typeof v === 'boolean' ? v : undefined);
const bytes: Parser = (v) => parseByteAmount(v);
const percentage: Parser = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100 ? v : undefined);
const oneOf =
  (choices: readonly string[]): Parser =>
  (v) =>
    typeof v === 'string' && choices.includes(v) ? v : undefined;

interface KeySpec {
  readonly field: keyof TopologyConfig;
  readonly parse: Parser;
  readonly expected: string;
  readonly fallback?: unknown;
}

const SPECS: Readonly<Record<string, KeySpec>> = {
  [TopologyConfigKeys.STMGRS]: { field: 'stmgrs', parse: positiveInt, expected: 'a whole number >= 1', fallback: 1 },
  [TopologyConfigKeys.MAX_SPOUT_PENDING]: { field: 'maxSpoutPending', parse: positiveInt, expected: 'a whole number >= 1', fallback: 100 },
  [TopologyConfigKeys.MESSAGE_TIMEOUT_SECS]: { field: 'messageTimeoutSecs', parse: positiveInt, expected: 'a whole number of seconds >= 1', fallback: 30 },
  [TopologyConfigKeys.RELIABILITY_MODE]: { field: 'reliabilityMode', parse: oneOf(RELIABILITY_MODES), expected: `one of ${RELIABILITY_MODES.join(', ')}`, fallback: 'ATMOST_ONCE' },
  [TopologyConfigKeys.ENABLE_MESSAGE_TIMEOUTS]: { field: 'enableMessageTimeouts', parse: boolean, expected: 'true or false', fallback: true },
  [TopologyConfigKeys.DEBUG]: { field: 'debug', parse: boolean, expected: 'true or false', fallback: false },
  [TopologyConfigKeys.TICK_TUPLE_FREQ_SECS]: { field: 'tickTupleFreqSecs', parse: positiveNumber, expected: 'a number of seconds > 0' },
  [TopologyConfigKeys.DROPTUPLES_UPON_BACKPRESSURE]: { field: 'dropTuplesUponBackpressure', parse: boolean, expected: 'true or false', fallback: false },
  [TopologyConfigKeys.CONTAINER_CPU]: { field: 'containerCpu', parse: positiveNumber, expected: 'a number of cores > 0' },
  [TopologyConfigKeys.CONTAINER_RAM]: { field: 'containerRam', parse: bytes, expected: BYTE_AMOUNT_EXPECTATION },
  [TopologyConfigKeys.CONTAINER_DISK]: { field: 'containerDisk', parse: bytes, expected: BYTE_AMOUNT_EXPECTATION },
  [TopologyConfigKeys.CONTAINER_MAX_INSTANCES]: { field: 'containerMaxInstances', parse: positiveInt, expected: 'a whole number >= 1' },
  [TopologyConfigKeys.CONTAINER_PADDING_PERCENTAGE]: { field: 'containerPaddingPercentage', parse: percentage, expected: 'a percentage from 0 to 100' },
  [TopologyConfigKeys.CONTAINER_CPU_PADDING]: { field: 'containerCpuPadding', parse: nonNegativeNumber, expected: 'a number of cores >= 0' },
  [TopologyConfigKeys.CONTAINER_RAM_PADDING]: { field: 'containerRamPadding', parse: bytes, expected: BYTE_AMOUNT_EXPECTATION },
  [TopologyConfigKeys.CONTAINER_DISK_PADDING]: { field: 'containerDiskPadding', parse: bytes, expected: BYTE_AMOUNT_EXPECTATION },
  [TopologyConfigKeys.PACKING_FFD_SORTING_STRATEGY]: { field: 'ffdSortingStrategy', parse: oneOf(['RAM_FIRST', 'CPU_FIRST']), expected: 'RAM_FIRST or CPU_FIRST', fallback: 'RAM_FIRST' },
  [TopologyConfigKeys.UPDATE_DEACTIVATE_WAIT_SECS]: { field: 'updateDeactivateWaitSecs', parse: nonNegativeInt, expected: 'a whole number of seconds >= 0', fallback: 0 },
  [TopologyConfigKeys.UPDATE_REACTIVATE_WAIT_SECS]: { field: 'updateReactivateWaitSecs', parse: nonNegativeInt, expected: 'a whole number of seconds >= 0', fallback: 600 },
  [TopologyConfigKeys.SERIALIZER]: { field: 'serializer', parse: (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined), expected: "'egret' or the path of a serializer module", fallback: 'egret' },
};

/** Every key {@link readTopologyConfig} knows. */
export const KNOWN_TOPOLOGY_KEYS: readonly string[] = Object.keys(SPECS);

/**
 * How long a spout waits for a root's tree before failing it, in ms; 0 when it never times roots out
 * (`topology.enable.message.timeouts` false). The spout instance and its stream manager both go by it.
 */
export function messageTimeoutMsOf(config: TopologyConfig): number {
  return config.enableMessageTimeouts ? config.messageTimeoutSecs * 1000 : 0;
}

/**
 * Reads the known `topology.*` keys of a config map into typed values, applying defaults.
 * Throws a TOPOLOGY_CONFIG_INVALID {@link TopologyError} naming every bad key and what it expects.
 * `describeSource` names where a key's value came from (a file, the topology, the command line) in the message.
 */
export function readTopologyConfig(config: ConfigMap, describeSource?: (key: string) => string): TopologyConfig {
  const result: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(SPECS)) {
    const raw = config[key];
    if (raw === undefined || raw === null) {
      if (spec.fallback !== undefined) result[spec.field] = spec.fallback;
      continue;
    }
    const parsed = spec.parse(raw);
    if (parsed === undefined) {
      const where = describeSource ? `${describeSource(key)}: ` : '';
      problems.push(`${where}${key}: expected ${spec.expected}, got ${JSON.stringify(raw)}`);
    } else {
      result[spec.field] = parsed;
    }
  }
  if (problems.length > 0) {
    const message = problems.length === 1 ? `invalid topology config: ${problems[0]}` : `invalid topology config:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    throw new TopologyError(message, { code: 'TOPOLOGY_CONFIG_INVALID', problems });
  }
  return result as unknown as TopologyConfig;
}

/**
 * `topology.*` keys that Egret does not know, each with a suggestion where one is close: a misspelled key
 * would otherwise be silently ignored. User keys outside `topology.` are not reported.
 */
export function unknownTopologyKeys(config: ConfigMap): string[] {
  return Object.keys(config)
    .filter((key) => key.startsWith('topology.') && !(key in SPECS))
    .map((key) => `${key} is not a topology key Egret knows${didYouMean(key, KNOWN_TOPOLOGY_KEYS)}`);
}
