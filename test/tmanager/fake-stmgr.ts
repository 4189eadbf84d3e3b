import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { heron } from '../../core/proto/index.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { FramedSocket } from '../../runtime/common/framed-socket.js';
import { MessageTypes } from '../../runtime/common/message-types.js';
import { defaultLocalEndpoint, expectedInstancesOf, stmgrIdOf } from '../../runtime/common/runtime-ids.js';
import { waitUntil } from '../helpers/runtime-processes.js';

import system = heron.proto.system;
import tmanager = heron.proto.tmanager;

/**
 * A stream manager written in the test, speaking to a real topology manager over the frame codec: it registers,
 * heartbeats and records every physical plan pushed to it.
 */
export class FakeStMgr {
  /** Every NewPhysicalPlanMessage received, in order. */
  readonly plans: system.PhysicalPlan[] = [];
  closeReason: string | undefined;
  private readonly responses = new Map<string, Buffer>();
  private readonly socket: FramedSocket;

  private constructor(socket: import('node:net').Socket) {
    this.socket = new FramedSocket(socket, 64 * 1024 * 1024, {
      onFrame: (frame) => {
        if (frame.messageType === MessageTypes.NEW_PHYSICAL_PLAN) {
          this.plans.push(system.PhysicalPlan.create(heron.proto.stmgr.NewPhysicalPlanMessage.decode(frame.payload).newPplan));
        } else {
          this.responses.set(Buffer.from(frame.requestId).toString('hex'), Buffer.from(frame.payload));
        }
      },
      onClose: (reason) => {
        this.closeReason = reason;
      },
    });
  }

  /** Connects to a topology manager's server port. */
  static async connect(port: number, host = '127.0.0.1'): Promise<FakeStMgr> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new FakeStMgr(socket);
  }

  /** Registers as container `container`'s stream manager, with that container's instances of `plan` unless given. */
  register(
    container: number,
    options: { plan?: PackingPlan; topologyId?: string; dataPort?: number; pid?: number; instances?: system.Instance.$Properties[] } = {},
  ): Promise<tmanager.StMgrRegisterResponse> {
    const stmgr: system.StMgr.$Properties = {
      id: stmgrIdOf(container),
      hostName: '127.0.0.1',
      dataPort: options.dataPort ?? 40000 + container,
      localEndpoint: defaultLocalEndpoint(options.topologyId ?? 't', container),
      cwd: '/tmp',
      pid: options.pid ?? process.pid,
    };
    const instances = options.instances ?? (options.plan ? expectedInstancesOf(options.plan, container) : []);
    return this.request(MessageTypes.STMGR_REGISTER_REQUEST, tmanager.StMgrRegisterRequest.encode({ stmgr, instances }).finish(), tmanager.StMgrRegisterResponse);
  }

  heartbeat(): Promise<tmanager.StMgrHeartbeatResponse> {
    return this.request(MessageTypes.STMGR_HEARTBEAT_REQUEST, tmanager.StMgrHeartbeatRequest.encode({ heartbeatTime: Date.now(), stats: {} }).finish(), tmanager.StMgrHeartbeatResponse);
  }

  /** Waits for the `n`th plan pushed (1-based) and returns it. */
  async plan(n: number, timeoutMs = 10_000): Promise<system.PhysicalPlan> {
    return waitUntil(`physical plan #${n}`, () => this.plans[n - 1], timeoutMs);
  }

  /** Waits until the topology manager closed this connection; returns why the socket says it closed. */
  async closedByPeer(timeoutMs = 10_000): Promise<string> {
    return waitUntil('the topology manager to close the connection', () => this.closeReason, timeoutMs);
  }

  close(): void {
    this.socket.close('test done');
  }

  private async request<T>(messageType: string, payload: Uint8Array, responseClass: { decode(bytes: Uint8Array): T }, timeoutMs = 10_000): Promise<T> {
    const requestId = randomBytes(32);
    const key = requestId.toString('hex');
    this.socket.send(messageType, payload, requestId);
    const bytes = await waitUntil(`a response to ${messageType}`, () => this.responses.get(key) ?? (this.closeReason ? Promise.reject(new Error(`connection closed: ${this.closeReason}`)) : undefined), timeoutMs);
    this.responses.delete(key);
    return responseClass.decode(bytes);
  }
}
