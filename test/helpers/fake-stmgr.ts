import net from 'node:net';
import { join } from 'node:path';
import Long from 'long';
import type { TupleSerializer } from '../../api/serializer.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { heron, topologyToProto } from '../../core/proto/index.js';
import { encodeFrame, FrameReader, type Frame } from '../../runtime/protocol/frames.js';
import { EgretSerializer } from '../../runtime/instance/serializer/egret-serializer.js';
import { tempDir } from './temp-dir.js';

import stmgr = heron.proto.stmgr;
import system = heron.proto.system;

const HERON_TUPLE_SET = 'heron.proto.system.HeronTupleSet';
const HERON_TUPLE_SET2 = 'heron.proto.system.HeronTupleSet2';
const egret = new EgretSerializer();

/** One task of the fake plan. */
export interface FakeTask {
  readonly taskId: number;
  readonly component: string;
  readonly componentIndex: number;
}

/** A 64-bit key or root as the instance handles it: the two signed halves of a Long (`low`, `high`). */
export type Key = readonly [low: number, high: number];

/** A RootId: the spout task and the root key. */
export interface Root {
  readonly task: number;
  readonly key: Key;
}

/** A tuple an instance sent, its values deserialized with the egret serializer. */
export interface ReceivedTuple {
  readonly srcTaskId: number;
  readonly component: string;
  readonly stream: string;
  readonly values: unknown[];
  readonly destTaskIds: number[];
  readonly key: Key;
  readonly roots: readonly Root[];
}

/** An AckTuple an instance sent (a bolt's ack or fail, ATLEAST_ONCE). */
export interface ReceivedAck {
  readonly srcTaskId: number;
  readonly acked: boolean;
  readonly roots: readonly Root[];
  /** The key of the input acked. */
  readonly key: Key;
}

/** One HeronTupleSet frame received, in arrival order: its data tuples or its control AckTuples. */
export type WireFrame = { readonly kind: 'data'; readonly tuples: readonly ReceivedTuple[] } | { readonly kind: 'control'; readonly acks: readonly ReceivedAck[] };

/** A tuple to send with a key and roots (ATLEAST_ONCE). */
export interface TrackedTuple {
  readonly values: readonly unknown[];
  readonly key: Key;
  readonly roots: readonly Root[];
}

export interface FakeStmgrOptions {
  readonly topology: TopologyDefinition;
  readonly topologyId: string;
  readonly container?: number;
  /** Default RUNNING. */
  readonly state?: 'RUNNING' | 'PAUSED';
  /** Answer every registration NOTOK with this message. */
  readonly refuse?: string;
  /** Leave the plan out of the registration response (then send it with {@link FakeStmgr.sendPlan}). */
  readonly planLater?: boolean;
  /** The topology's serializer (default: egret's). */
  readonly serializer?: TupleSerializer;
}

/**
 * A stream manager for instance tests (native/PROTOCOL.md, written from the protocol, not from the instance's
 * code): a Unix socket server that answers registrations, sends physical plans, decodes the HeronTupleSet frames
 * it receives with core/proto's generated classes, and sends HeronTupleSet2 frames. Tasks are numbered from 1 in
 * declaration order (spouts, then bolts), all in one container.
 */
export class FakeStmgr {
  readonly endpoint: string;
  readonly tasks: readonly FakeTask[];
  readonly registrations: stmgr.RegisterInstanceRequest[] = [];
  readonly received: ReceivedTuple[] = [];
  /** The acks and fails received (ATLEAST_ONCE bolts). */
  readonly acks: ReceivedAck[] = [];
  /** Every HeronTupleSet frame received, in order. */
  readonly wire: WireFrame[] = [];
  /** HeronTupleSet frames received. */
  frames = 0;
  private readonly connections = new Set<net.Socket>();
  private readonly registered = new Map<number, net.Socket>();
  private state: 'RUNNING' | 'PAUSED';
  private paused = false;

  private constructor(
    private readonly server: net.Server,
    path: string,
    private readonly options: FakeStmgrOptions,
  ) {
    this.endpoint = `unix:${path}`;
    this.state = options.state ?? 'RUNNING';
    let next = 1;
    this.tasks = [...options.topology.spouts, ...options.topology.bolts].flatMap((component) =>
      Array.from({ length: component.parallelism }, (_, componentIndex) => ({ taskId: next++, component: component.name, componentIndex })),
    );
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on a socket file in a fresh temporary directory. */
  static async start(options: FakeStmgrOptions): Promise<FakeStmgr> {
    const path = join(tempDir(), 'stmgr.sock');
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    return new FakeStmgr(server, path, options);
  }

  /** The task of a component with this index. */
  task(component: string, componentIndex = 0): FakeTask {
    const task = this.tasks.find((t) => t.component === component && t.componentIndex === componentIndex);
    if (!task) throw new Error(`no task ${component}#${componentIndex}`);
    return task;
  }

  /** The physical plan: the topology in its current state, one stream manager, every task. */
  plan(): system.PhysicalPlan {
    const container = this.options.container ?? 1;
    return system.PhysicalPlan.create({
      topology: topologyToProto(this.options.topology, { id: this.options.topologyId, state: this.state }),
      stmgrs: [{ id: `stmgr-${container}`, hostName: 'localhost', dataPort: 0, localEndpoint: this.endpoint }],
      instances: this.tasks.map((t) => ({
        instanceId: `container_${container}_${t.component}_${t.taskId}`,
        stmgrId: `stmgr-${container}`,
        info: { taskId: t.taskId, componentIndex: t.componentIndex, componentName: t.component },
      })),
    });
  }

  /** Changes the topology's state and sends the new plan to every registered instance. */
  setState(state: 'RUNNING' | 'PAUSED'): void {
    this.state = state;
    this.sendPlan();
  }

  /** Sends the current plan (NewInstanceAssignmentMessage) to every registered instance. */
  sendPlan(): void {
    const payload = stmgr.NewInstanceAssignmentMessage.encode({ pplan: this.plan() }).finish();
    for (const socket of this.registered.values()) socket.write(encodeFrame('heron.proto.stmgr.NewInstanceAssignmentMessage', payload));
  }

  /** Sends tuples of one source task and stream to a registered task, as one HeronTupleSet2 frame. */
  sendTuples(to: number, from: { readonly taskId: number; readonly component: string; readonly stream?: string }, tuples: ReadonlyArray<readonly unknown[]>): void {
    this.socketOf(to).write(encodeFrame(HERON_TUPLE_SET2, tupleSet2(from, tuples, this.options.serializer)));
  }

  /** Sends tuples with keys and roots, as a stream manager under ATLEAST_ONCE, in one HeronTupleSet2 frame. */
  sendTrackedTuples(to: number, from: { readonly taskId: number; readonly component: string; readonly stream?: string }, tuples: readonly TrackedTuple[]): void {
    this.socketOf(to).write(encodeFrame(HERON_TUPLE_SET2, tupleSet2(from, tuples, this.options.serializer)));
  }

  /**
   * Tells a spout task that roots completed, as its stream manager does (PROTOCOL.md §7): one HeronTupleSet2
   * control frame, `acks` (or `fails`) holding one AckTuple per root.
   */
  sendCompletions(to: number, completions: { readonly acks?: readonly Root[]; readonly fails?: readonly Root[] }): void {
    const ackTuple = (root: Root) => ({ roots: [{ taskid: root.task, key: Long.fromBits(root.key[0], root.key[1]) }], ackedtuple: 0 });
    const payload = system.HeronTupleSet2.encode({ control: { acks: (completions.acks ?? []).map(ackTuple), fails: (completions.fails ?? []).map(ackTuple) }, srcTaskId: to }).finish();
    this.socketOf(to).write(encodeFrame(HERON_TUPLE_SET2, payload));
  }

  private socketOf(task: number): net.Socket {
    const socket = this.registered.get(task);
    if (!socket) throw new Error(`task ${task} is not registered`);
    return socket;
  }

  /** Stops reading from the instances (a slow stream manager): their writes back up. */
  pauseReading(): void {
    this.paused = true;
    for (const socket of this.connections) socket.pause();
  }

  resumeReading(): void {
    this.paused = false;
    for (const socket of this.connections) socket.resume();
  }

  /** Tuples received on a stream. */
  tuplesOn(stream: string): ReceivedTuple[] {
    return this.received.filter((t) => t.stream === stream);
  }

  /** Closes every connection and the server. */
  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Drops every instance connection (a stream manager that died). */
  dropConnections(): void {
    for (const socket of this.connections) socket.destroy();
  }

  private accept(socket: net.Socket): void {
    this.connections.add(socket);
    if (this.paused) socket.pause();
    const reader = new FrameReader(64 * 1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) this.onFrame(socket, frame);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.connections.delete(socket);
      for (const [task, s] of this.registered) if (s === socket) this.registered.delete(task);
    });
  }

  private onFrame(socket: net.Socket, frame: Frame): void {
    if (frame.messageType === 'heron.proto.stmgr.RegisterInstanceRequest') {
      const request = stmgr.RegisterInstanceRequest.decode(frame.payload);
      this.registrations.push(request);
      const refused = this.options.refuse !== undefined;
      if (!refused) this.registered.set(request.instance.info.taskId, socket);
      const response = stmgr.RegisterInstanceResponse.encode({
        status: refused ? { status: system.StatusCode.NOTOK, message: this.options.refuse } : { status: system.StatusCode.OK },
        ...(refused || this.options.planLater ? {} : { pplan: this.plan() }),
      }).finish();
      socket.write(encodeFrame('heron.proto.stmgr.RegisterInstanceResponse', response, frame.requestId));
      return;
    }
    if (frame.messageType !== HERON_TUPLE_SET) throw new Error(`fake stream manager: unexpected ${frame.messageType}`);
    this.frames++;
    const set = system.HeronTupleSet.decode(frame.payload);
    const tuples = (set.data?.tuples ?? []).map((tuple) => ({
      srcTaskId: set.srcTaskId,
      component: set.data!.stream.componentName,
      stream: set.data!.stream.id,
      values: (tuple.values ?? []).map((bytes) => (this.options.serializer ?? egret).deserialize(bytes)),
      destTaskIds: tuple.destTaskIds ?? [],
      key: halves(tuple.key),
      roots: rootsOf(tuple.roots),
    }));
    this.received.push(...tuples);
    if (set.data) this.wire.push({ kind: 'data', tuples });
    if (set.control) {
      const ack = (acked: boolean) => (tuple: system.IAckTuple) => ({ srcTaskId: set.srcTaskId, acked, roots: rootsOf(tuple.roots), key: halves(tuple.ackedtuple) });
      const acks = [...(set.control.acks ?? []).map(ack(true)), ...(set.control.fails ?? []).map(ack(false))];
      this.acks.push(...acks);
      this.wire.push({ kind: 'control', acks });
    }
  }
}

/** A decoded sfixed64 as the instance's halves. */
export function halves(value: number | Long | null | undefined): Key {
  const long = Long.fromValue(value ?? 0);
  return [long.low, long.high];
}

function rootsOf(roots: system.IRootId[] | null | undefined): Root[] {
  return (roots ?? []).map((root) => ({ task: root.taskid, key: halves(root.key) }));
}

/**
 * An encoded HeronTupleSet2 holding `tuples` (values serialized with `serializer`, by default egret's): values only
 * (key 0, no roots), or with a key and roots.
 */
export function tupleSet2(
  from: { readonly taskId: number; readonly component: string; readonly stream?: string },
  tuples: ReadonlyArray<readonly unknown[] | TrackedTuple>,
  serializer: TupleSerializer = egret,
): Uint8Array {
  const encode = (tuple: readonly unknown[] | TrackedTuple): Uint8Array => {
    const tracked = Array.isArray(tuple) ? undefined : (tuple as TrackedTuple);
    const values = tracked ? tracked.values : (tuple as readonly unknown[]);
    return system.HeronDataTuple.encode({
      key: tracked ? Long.fromBits(tracked.key[0], tracked.key[1]) : 0,
      roots: (tracked?.roots ?? []).map((root) => ({ taskid: root.task, key: Long.fromBits(root.key[0], root.key[1]) })),
      values: values.map((v) => serializer.serialize(v)),
    }).finish();
  };
  return system.HeronTupleSet2.encode({
    data: { stream: { id: from.stream ?? 'default', componentName: from.component }, tuples: tuples.map(encode) },
    srcTaskId: from.taskId,
  }).finish();
}
