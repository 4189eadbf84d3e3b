/**
 * A fake instance: a client of the stream manager's local endpoint speaking PROTOCOL.md over the real socket. It
 * registers, sends tuple sets, and records what it receives.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { heron } from '../../../core/proto/generated/egret-proto.js';
import { encodeFrame, type Frame, FrameReader } from '../../../runtime/protocol/frames.js';
import { decodeControl2, decodeTupleSet2, HERON_TUPLE_SET2, type ReceivedControl, type ReceivedTuple, type TestTuple, tupleSetFrame } from './tuples.js';
import { waitFor } from './wait-for.js';

export const REGISTER_INSTANCE_REQUEST = 'heron.proto.stmgr.RegisterInstanceRequest';
export const REGISTER_INSTANCE_RESPONSE = 'heron.proto.stmgr.RegisterInstanceResponse';

/** The path Node's net module takes for a local endpoint (a leading NUL names an abstract socket). */
export function socketPath(endpoint: string): string {
  if (endpoint.startsWith('unix-abstract:')) return `\0${endpoint.slice('unix-abstract:'.length)}`;
  if (endpoint.startsWith('unix:')) return endpoint.slice('unix:'.length);
  throw new Error(`not a local endpoint: ${endpoint}`);
}

export class FakeInstance {
  readonly received: ReceivedTuple[] = [];
  /** Control sets received (acks and fails of a spout's roots, under ATLEAST_ONCE). */
  readonly controls: ReceivedControl[] = [];
  readonly frames: Frame[] = [];
  /** HeronTupleSet2 frames whose tuples did not decode: the stream manager must never forward such bytes. */
  decodeErrors = 0;
  closed = false;
  private readonly reader = new FrameReader(64 * 1024 * 1024);

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) {
        if (frame.messageType === HERON_TUPLE_SET2) {
          try {
            this.received.push(...decodeTupleSet2(frame.payload));
            const control = decodeControl2(frame.payload);
            if (control) this.controls.push(control);
          } catch {
            this.decodeErrors++;
          }
        } else {
          this.frames.push({ messageType: frame.messageType, requestId: Buffer.from(frame.requestId), payload: Buffer.from(frame.payload) });
        }
      }
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {});
  }

  static async connect(endpoint: string): Promise<FakeInstance> {
    const socket = connect({ path: socketPath(endpoint) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new FakeInstance(socket);
  }

  /** Connects and registers as `taskId` of `component`; resolves with the response's status code. */
  static async register(endpoint: string, taskId: number, component: string, topologyId = 'topology-1'): Promise<FakeInstance> {
    const instance = await FakeInstance.connect(endpoint);
    const status = await instance.register(taskId, component, topologyId);
    if (status !== heron.proto.system.StatusCode.OK) throw new Error(`task ${taskId} was refused (status ${status})`);
    return instance;
  }

  async register(taskId: number, component: string, topologyId = 'topology-1'): Promise<number> {
    const request = heron.proto.stmgr.RegisterInstanceRequest.encode({
      instance: { instanceId: `container_1_${component}_${taskId}`, stmgrId: 'stmgr-1', info: { taskId, componentIndex: 0, componentName: component } },
      topologyName: 'topology',
      topologyId,
    }).finish();
    const requestId = randomBytes(32);
    this.socket.write(encodeFrame(REGISTER_INSTANCE_REQUEST, request, requestId));
    await waitFor(`the registration response of task ${taskId}`, () => this.frames.some((f) => f.requestId.equals(requestId)) || this.closed);
    const response = this.frames.find((f) => f.requestId.equals(requestId));
    if (!response) throw new Error(`task ${taskId}: connection closed before the registration response`);
    return heron.proto.stmgr.RegisterInstanceResponse.decode(response.payload).status.status ?? 0;
  }

  send(srcTaskId: number, component: string, stream: string, tuples: readonly TestTuple[]): void {
    this.socket.write(tupleSetFrame(srcTaskId, component, stream, tuples));
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  waitForTuples(count: number, timeoutMs = 10_000): Promise<void> {
    return waitFor(() => `${count} tuples (have ${this.received.length})`, () => this.received.length >= count, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}
