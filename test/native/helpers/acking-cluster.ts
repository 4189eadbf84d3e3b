/**
 * An ATLEAST_ONCE test topology on one or more real stream managers, with fake instances over the real sockets:
 * spout `spout` (task 1) → `split` (tasks 2, 3; all grouping) → `count` (tasks 4, 5; all grouping). A spout tuple
 * makes a tree of 6 edges: 2 copies to the splits, and 2 copies of each split's anchored emit to the counts.
 */
import type { DataPathOptions, DataPathRouting } from '../../../native/index.js';
import { encodeFrame } from '../../../runtime/protocol/frames.js';
import { FakeInstance } from './fake-instance.js';
import { STRMGR_HELLO_RESPONSE, startStreamManager, type TestStreamManager } from './stream-manager.js';
import { controlFrame, encodeTupleSet, HERON_TUPLE_SET, type ReceivedTuple, type TestAckTuple, type TestRoot } from './tuples.js';
import { waitFor } from './wait-for.js';

export const SPOUT_TASK = 1;
export const SPLIT_TASKS = [2, 3] as const;
export const COUNT_TASKS = [4, 5] as const;
const COMPONENT_OF: Readonly<Record<number, string>> = { 1: 'spout', 2: 'split', 3: 'split', 4: 'count', 5: 'count' };

export function ackingRouting(stmgrId: string, placement: (task: number) => string, peers: DataPathRouting['peers'], extra: Partial<DataPathRouting> = {}): DataPathRouting {
  return {
    stmgrId,
    reliability: 'ATLEAST_ONCE',
    ...extra,
    tasks: [1, 2, 3, 4, 5].map((taskId) => ({ taskId, component: COMPONENT_OF[taskId]!, stmgrId: placement(taskId) })),
    peers: peers.filter((p) => p.stmgrId !== stmgrId),
    streams: [
      { component: 'spout', stream: 'default', subscribers: [{ component: 'split', grouping: 'all', fieldIndices: [], tasks: [...SPLIT_TASKS] }] },
      { component: 'spout', stream: 'unheard', subscribers: [] },
      { component: 'split', stream: 'default', subscribers: [{ component: 'count', grouping: 'all', fieldIndices: [], tasks: [...COUNT_TASKS] }] },
      { component: 'count', stream: 'default', subscribers: [] },
    ],
  };
}

/** The AckTuple a bolt sends for an input: its roots and its key. */
export function ackOf(input: ReceivedTuple): TestAckTuple {
  return { roots: input.rootIds, ackedtuple: input.key };
}

export class AckingCluster {
  readonly sms = new Map<string, TestStreamManager>();
  readonly instances = new Map<number, FakeInstance>();

  private constructor(
    private readonly stmgrIds: readonly string[],
    readonly placement: (task: number) => string,
  ) {}

  /** Starts the stream managers (with `options`), peers them, and registers a fake instance for every task. */
  static async start(stmgrIds: readonly string[], placement: (task: number) => string, extra: Partial<DataPathRouting> = {}, options: Partial<DataPathOptions> = {}): Promise<AckingCluster> {
    const cluster = new AckingCluster(stmgrIds, placement);
    for (const id of stmgrIds) cluster.sms.set(id, await startStreamManager(id, { batchMaxBytes: 4096, ...options }));
    cluster.route(extra);
    for (const sm of cluster.sms.values()) {
      await waitFor('the peers to answer the hello', () => sm.events.filter((e) => e.type === 'control' && e.messageType === STRMGR_HELLO_RESPONSE).length === stmgrIds.length - 1);
    }
    for (const task of [...COUNT_TASKS, ...SPLIT_TASKS, SPOUT_TASK]) cluster.instances.set(task, await FakeInstance.register(cluster.smOf(task).endpoint, task, COMPONENT_OF[task]!));
    return cluster;
  }

  /** Applies (again) the routing on every stream manager, with `extra` (a message timeout, another mode). */
  route(extra: Partial<DataPathRouting> = {}): void {
    const peers = [...this.sms.entries()].map(([stmgrId, sm]) => ({ stmgrId, host: '127.0.0.1', port: sm.dataPort }));
    for (const [id, sm] of this.sms) sm.dataPath.setRouting(ackingRouting(id, this.placement, peers, extra));
  }

  smOf(task: number): TestStreamManager {
    return this.sms.get(this.placement(task))!;
  }

  get spout(): FakeInstance {
    return this.instances.get(SPOUT_TASK)!;
  }

  /** The spout emits a tuple with root `root` (as an instance does: key 0, roots = [its task, root]). */
  emit(root: bigint, stream = 'default', values: readonly Buffer[] = [Buffer.from(`v-${root}`)]): void {
    this.spout.send(SPOUT_TASK, 'spout', stream, [{ values, key: 0n, roots: [{ taskid: SPOUT_TASK, key: root }] }]);
  }

  /** The tuples task `task` received that belong to `root`'s tree. */
  inputsOf(task: number, root: bigint): ReceivedTuple[] {
    return this.instances.get(task)!.received.filter((t) => t.rootIds.some((r) => r.key === root));
  }

  /**
   * A split bolt processes an input: one anchored emit to the counts, then the ack of its input, in one write
   * (data frame first, as an instance must).
   */
  splitProcesses(task: number, input: ReceivedTuple): void {
    const emit = encodeFrame(HERON_TUPLE_SET, encodeTupleSet(task, 'split', 'default', [{ values: input.values, key: 0n, roots: input.rootIds }]));
    this.instances.get(task)!.write(Buffer.concat([emit, controlFrame(task, { acks: [ackOf(input)] })]));
  }

  ack(task: number, ...inputs: ReceivedTuple[]): void {
    this.instances.get(task)!.write(controlFrame(task, { acks: inputs.map(ackOf) }));
  }

  fail(task: number, input: ReceivedTuple): void {
    this.instances.get(task)!.write(controlFrame(task, { fails: [ackOf(input)] }));
  }

  /** The roots the spout was told are complete, or failed. */
  acked(): TestRoot[] {
    return this.spout.controls.flatMap((c) => c.acks.flatMap((a) => a.roots));
  }

  failed(): TestRoot[] {
    return this.spout.controls.flatMap((c) => c.fails.flatMap((a) => a.roots));
  }

  /** Control tuples the spout's stream manager has read so far, from its instances and its peers. */
  controlInAtSpout(): number {
    return this.smOf(SPOUT_TASK).dataPath.stats().connections.reduce((n, c) => n + c.controlTuplesIn, 0);
  }

  /** How many control tuples reach the spout's stream manager when `task` acks (or splits and acks) one input. */
  controlCost(task: number, splits: boolean): number {
    const remote = this.placement(task) !== this.placement(SPOUT_TASK);
    // A remote split's anchored emit travels as one emits AckTuple; a local one is applied in place.
    return 1 + (remote && splits ? 1 : 0);
  }

  async close(): Promise<void> {
    for (const instance of this.instances.values()) instance.close();
    for (const sm of this.sms.values()) await sm.close();
  }
}

/** A small seeded random generator, so a failing interleaving can be replayed (the seed is in the test name). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

export { waitFor };
