import { EgretError } from '../errors.js';
import type {
  ProtoExecutionState,
  ProtoMetricsCacheLocation,
  ProtoPackingPlan,
  ProtoPhysicalPlan,
  ProtoSchedulerLocation,
  ProtoStatefulConsistentCheckpoints,
  ProtoTManagerLocation,
  ProtoTopology,
} from '../proto/index.js';

export type StateManagerErrorCode =
  /** `create` found the node already there (a second submit of a running topology's name). */
  | 'STATE_NODE_EXISTS'
  /** `get` found no node. */
  | 'STATE_NO_NODE'
  /** A node's bytes are not the message its kind holds. */
  | 'STATE_CORRUPTED'
  /** `tryLock` gave up after its timeout: another process holds the lock. */
  | 'STATE_LOCK_TIMEOUT'
  /** The backend could not be reached within the connect timeout. */
  | 'STATE_UNREACHABLE'
  /** The backend failed a read or write (I/O error, lost connection, permission). */
  | 'STATE_IO'
  /** The state manager was used after `close()`. */
  | 'STATE_CLOSED'
  /**
   * A call was refused before touching the backend: the message is not one of its kind (a plain object without a
   * required field, a field of the wrong type), or the topology name cannot name a node (it must match
   * {@link STATE_TOPOLOGY_NAME_PATTERN}).
   */
  | 'STATE_INVALID';

/** Thrown by {@link StateManager}; the message names the node (kind and topology) and the backend. */
export class StateManagerError extends EgretError<StateManagerErrorCode> {}

/**
 * The nodes of the state tree, one per topology under each (ARCHITECTURE.md §5), and the protobuf message each
 * holds. The kind is also the directory name under the root (`<root>/packingplans/<topology>`).
 */
export interface StateNodeTypes {
  topologies: ProtoTopology;
  packingplans: ProtoPackingPlan;
  pplans: ProtoPhysicalPlan;
  executionstate: ProtoExecutionState;
  tmanagers: ProtoTManagerLocation;
  metricscaches: ProtoMetricsCacheLocation;
  schedulers: ProtoSchedulerLocation;
  statefulcheckpoints: ProtoStatefulConsistentCheckpoints;
}

export type StateNodeKind = keyof StateNodeTypes;

export const STATE_NODE_KINDS: readonly StateNodeKind[] = [
  'topologies',
  'packingplans',
  'pplans',
  'executionstate',
  'tmanagers',
  'metricscaches',
  'schedulers',
  'statefulcheckpoints',
];

/** Options of a write. */
export interface StateWriteOptions {
  /**
   * The node lives as long as the writing process: deleted when its session ends (ZooKeeper), or, where the
   * backend has no sessions, recorded with its owner and treated as absent once that process is gone.
   * Used for the locations of live processes (topology manager, metrics cache, scheduler in service mode).
   */
  readonly ephemeral?: boolean;
}

export type StateWatchEvent = 'created' | 'changed' | 'deleted';

/** A registered watch; `cancel` stops its callbacks (safe to call twice). */
export interface StateWatch {
  cancel(): void;
}

/** A held lock; `unlock` releases it (safe to call twice). */
export interface StateLock {
  unlock(): Promise<void>;
}

/** The locks a topology has. */
export type StateLockName = 'updateTopology';

/** Every {@link StateLockName}, for `deleteLocks` and for tools that list a topology's locks. */
export const STATE_LOCK_NAMES: readonly StateLockName[] = ['updateTopology'];

/**
 * The topology names a state manager accepts: they name files and ZooKeeper nodes, so no `/`, and no leading `.`
 * (which would make `.`, `..` or a name hidden among temporary files). Other names fail with STATE_INVALID.
 */
export const STATE_TOPOLOGY_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/** DI token of the {@link StateManager} plugin chosen by `egret.statemgr`. */
export const StateManager: unique symbol = Symbol.for('egret.spi.StateManager');

/**
 * Where a topology's state lives: its definition, plans, execution state and the locations of its live processes.
 * Chosen by `egret.statemgr` (localfs, zookeeper). All methods are async and throw {@link StateManagerError}:
 * STATE_INVALID for a topology name outside {@link STATE_TOPOLOGY_NAME_PATTERN} or a malformed message,
 * STATE_UNREACHABLE / STATE_IO when the backend fails, STATE_CLOSED after `close()`.
 * "The topology node exists" means "the topology is running": submit creates it first and kill deletes it last.
 */
export interface StateManager {
  /** True when the topology node exists. */
  isTopologyRunning(topology: string): Promise<boolean>;
  /** The names of the topologies whose topology node exists, sorted. */
  listTopologies(): Promise<string[]>;
  /** Writes a node that must not exist yet; STATE_NODE_EXISTS when it does (no change made). */
  create<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], options?: StateWriteOptions): Promise<void>;
  /** Writes a node, replacing what is there. Readers see the old or the new message, never a torn one. */
  set<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], options?: StateWriteOptions): Promise<void>;
  /** Reads a node; STATE_NO_NODE when absent, STATE_CORRUPTED when it does not decode. */
  get<K extends StateNodeKind>(kind: K, topology: string): Promise<StateNodeTypes[K]>;
  /** Reads a node, or undefined when absent. */
  find<K extends StateNodeKind>(kind: K, topology: string): Promise<StateNodeTypes[K] | undefined>;
  /** Deletes a node; deleting an absent node succeeds. */
  delete(kind: StateNodeKind, topology: string): Promise<void>;
  /**
   * Calls `callback` whenever the node is created, changed or deleted, by this process or another, until the
   * watch is cancelled. Callbacks never overlap (a callback returning a promise is awaited) and arrive in order.
   * Each event reports a transition between two observed states of the node, so changes in quick succession may
   * arrive as one event (as with ZooKeeper's one-shot watches); an ephemeral node whose owner dies is `deleted`.
   */
  watch(kind: StateNodeKind, topology: string, callback: (event: StateWatchEvent) => void): Promise<StateWatch>;
  /**
   * Takes a named lock of the topology, waiting up to `timeoutMs`; STATE_LOCK_TIMEOUT when it stays taken.
   * A lock whose holder dies is released (session end, or a dead owner process on backends without sessions).
   */
  tryLock(topology: string, lock: StateLockName, timeoutMs: number): Promise<StateLock>;
  /** Deletes every lock of the topology (used by kill). */
  deleteLocks(topology: string): Promise<void>;
  /** Closes connections, cancels watches, releases held locks and removes this process's ephemeral nodes. Safe to call twice. */
  close(): Promise<void>;
}
