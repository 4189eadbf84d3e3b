import { ProtoExecutionState, ProtoMetricsCacheLocation, ProtoPackingPlan, ProtoPhysicalPlan, ProtoSchedulerLocation, ProtoStatefulConsistentCheckpoints, ProtoTManagerLocation, ProtoTopology } from '../../core/proto/index.js';
import {
  StateManagerError,
  type StateLock,
  type StateManager,
  type StateNodeKind,
  type StateNodeTypes,
  type StateWatch,
  type StateWatchEvent,
  type StateWriteOptions,
} from '../../core/spi/state-manager.js';

const CLASSES: Record<StateNodeKind, { encode(m: never): { finish(): Uint8Array }; decode(b: Uint8Array): unknown }> = {
  topologies: ProtoTopology,
  packingplans: ProtoPackingPlan,
  pplans: ProtoPhysicalPlan,
  executionstate: ProtoExecutionState,
  tmanagers: ProtoTManagerLocation,
  metricscaches: ProtoMetricsCacheLocation,
  schedulers: ProtoSchedulerLocation,
  statefulcheckpoints: ProtoStatefulConsistentCheckpoints,
};

/**
 * A state manager in memory for unit tests of the runtime's control planes: nodes are stored encoded (so readers
 * get copies, as from a real backend) and watches fire after each write, in order. Locks are not needed there and
 * are refused.
 */
export class MemoryStateManager implements StateManager {
  private readonly nodes = new Map<string, Uint8Array>();
  private readonly watchers = new Map<string, Set<(event: StateWatchEvent) => void>>();

  isTopologyRunning(topology: string): Promise<boolean> {
    return Promise.resolve(this.nodes.has(key('topologies', topology)));
  }

  listTopologies(): Promise<string[]> {
    return Promise.resolve([...this.nodes.keys()].filter((k) => k.startsWith('topologies/')).map((k) => k.slice('topologies/'.length)).sort());
  }

  async create<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], options?: StateWriteOptions): Promise<void> {
    if (this.nodes.has(key(kind, topology))) throw new StateManagerError(`state node ${key(kind, topology)} exists`, { code: 'STATE_NODE_EXISTS' });
    await this.set(kind, topology, value, options);
  }

  set<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], _options?: StateWriteOptions): Promise<void> {
    const existed = this.nodes.has(key(kind, topology));
    this.nodes.set(key(kind, topology), CLASSES[kind].encode(value as never).finish());
    this.notify(kind, topology, existed ? 'changed' : 'created');
    return Promise.resolve();
  }

  async get<K extends StateNodeKind>(kind: K, topology: string): Promise<StateNodeTypes[K]> {
    const value = await this.find(kind, topology);
    if (value === undefined) throw new StateManagerError(`state node ${key(kind, topology)} does not exist`, { code: 'STATE_NO_NODE' });
    return value;
  }

  find<K extends StateNodeKind>(kind: K, topology: string): Promise<StateNodeTypes[K] | undefined> {
    const bytes = this.nodes.get(key(kind, topology));
    return Promise.resolve(bytes === undefined ? undefined : (CLASSES[kind].decode(bytes) as StateNodeTypes[K]));
  }

  delete(kind: StateNodeKind, topology: string): Promise<void> {
    if (this.nodes.delete(key(kind, topology))) this.notify(kind, topology, 'deleted');
    return Promise.resolve();
  }

  watch(kind: StateNodeKind, topology: string, callback: (event: StateWatchEvent) => void): Promise<StateWatch> {
    const set = this.watchers.get(key(kind, topology)) ?? new Set();
    this.watchers.set(key(kind, topology), set);
    set.add(callback);
    return Promise.resolve({ cancel: () => void set.delete(callback) });
  }

  tryLock(): Promise<StateLock> {
    return Promise.reject(new Error('MemoryStateManager has no locks'));
  }

  deleteLocks(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.watchers.clear();
    return Promise.resolve();
  }

  private notify(kind: StateNodeKind, topology: string, event: StateWatchEvent): void {
    for (const callback of this.watchers.get(key(kind, topology)) ?? []) setImmediate(() => callback(event));
  }
}

function key(kind: StateNodeKind, topology: string): string {
  return `${kind}/${topology}`;
}
