import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { heron } from '../../core/proto/index.js';
import { FramedSocket } from '../../runtime/common/framed-socket.js';
import { MessageTypes } from '../../runtime/common/message-types.js';
import { instanceIdOf, stmgrIdOf } from '../../runtime/common/runtime-ids.js';
import { waitUntil } from '../helpers/runtime-processes.js';

import system = heron.proto.system;
import stmgr = heron.proto.stmgr;

const TUPLE_SET = 'heron.proto.system.HeronTupleSet';
const TUPLE_SET_2 = 'heron.proto.system.HeronTupleSet2';

/** A tuple delivered to a fake instance. */
export interface ReceivedTuple {
  readonly srcTaskId: number;
  readonly stream: string;
  readonly values: readonly Buffer[];
}

/** The task a fake instance plays. */
export interface FakeTask {
  readonly container: number;
  readonly component: string;
  readonly taskId: number;
  readonly componentIndex: number;
}

/**
 * An instance written in the test: a raw Unix-socket client of a real stream manager speaking native/PROTOCOL.md.
 * It registers, records every assignment and every tuple delivered, and emits tuples.
 */
export class FakeInstance {
  readonly assignments: system.PhysicalPlan[] = [];
  readonly received: ReceivedTuple[] = [];
  closeReason: string | undefined;
  private readonly responses = new Map<string, Buffer>();
  private readonly socket: FramedSocket;

  private constructor(
    readonly task: FakeTask,
    private readonly raw: Socket,
  ) {
    this.socket = new FramedSocket(raw, 64 * 1024 * 1024, {
      onFrame: (frame) => {
        if (frame.messageType === MessageTypes.NEW_INSTANCE_ASSIGNMENT) {
          this.assignments.push(system.PhysicalPlan.create(stmgr.NewInstanceAssignmentMessage.decode(frame.payload).pplan));
        } else if (frame.messageType === TUPLE_SET_2) {
          const set = system.HeronTupleSet2.decode(frame.payload);
          for (const bytes of set.data?.tuples ?? []) {
            const tuple = system.HeronDataTuple.decode(bytes);
            this.received.push({ srcTaskId: set.srcTaskId, stream: set.data!.stream.id, values: tuple.values.map((v) => Buffer.from(v)) });
          }
        } else {
          this.responses.set(Buffer.from(frame.requestId).toString('hex'), Buffer.from(frame.payload));
        }
      },
      onClose: (reason) => {
        this.closeReason = reason;
      },
    });
  }

  /** Connects to a stream manager's local endpoint (`unix:/path` or `unix-abstract:name`). */
  static async connect(endpoint: string, task: FakeTask): Promise<FakeInstance> {
    const path = endpoint.startsWith('unix-abstract:') ? `\0${endpoint.slice('unix-abstract:'.length)}` : endpoint.replace(/^unix:/, '');
    const raw = connect({ path });
    await new Promise<void>((resolve, reject) => {
      raw.once('connect', resolve);
      raw.once('error', reject);
    });
    return new FakeInstance(task, raw);
  }

  /** Sends RegisterInstanceRequest for its task (or the record `change` makes of it) and returns the response. */
  async register(topology: { name: string; id: string }, change: (instance: system.Instance) => void = () => undefined): Promise<stmgr.RegisterInstanceResponse> {
    const { container, component, taskId, componentIndex } = this.task;
    const instance = system.Instance.create({ instanceId: instanceIdOf(container, component, taskId), stmgrId: stmgrIdOf(container), info: { taskId, componentIndex, componentName: component } });
    change(instance);
    const requestId = randomBytes(32);
    this.socket.send(MessageTypes.REGISTER_INSTANCE_REQUEST, stmgr.RegisterInstanceRequest.encode({ instance, topologyName: topology.name, topologyId: topology.id }).finish(), requestId);
    const key = requestId.toString('hex');
    const bytes = await waitUntil('the registration response', () => this.responses.get(key) ?? (this.closeReason ? Promise.reject(new Error(`closed: ${this.closeReason}`)) : undefined), 10_000);
    return stmgr.RegisterInstanceResponse.decode(bytes);
  }

  /** Emits tuples on a stream of its component, each a list of value bytes, in one frame (ATMOST_ONCE: key 0, no roots). */
  emit(stream: string, tuples: ReadonlyArray<readonly Buffer[]>): void {
    const set = system.HeronTupleSet.encode({
      srcTaskId: this.task.taskId,
      data: { stream: { id: stream, componentName: this.task.component }, tuples: tuples.map((values) => ({ key: 0, values: [...values] })) },
    }).finish();
    this.socket.send(TUPLE_SET, set);
  }

  /** Waits for the `n`th assignment (1-based). */
  assignment(n: number, timeoutMs = 10_000): Promise<system.PhysicalPlan> {
    return waitUntil(`assignment #${n} of task ${this.task.taskId}`, () => this.assignments[n - 1], timeoutMs);
  }

  /** Stops reading its socket, as a bolt that cannot keep up does; resume() reads again. */
  pause(): void {
    this.raw.pause();
  }

  resume(): void {
    this.raw.resume();
  }

  close(): void {
    this.socket.close('test done');
  }
}
