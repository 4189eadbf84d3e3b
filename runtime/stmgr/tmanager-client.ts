import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import { heron, type ProtoTManagerLocation } from '../../core/proto/index.js';
import type { StateManager, StateWatch } from '../../core/spi/state-manager.js';
import type { Frame } from '../protocol/frames.js';
import { FramedSocket } from '../common/framed-socket.js';
import { MessageTypes, TMANAGER_MAX_FRAME_BYTES } from '../common/message-types.js';

import system = heron.proto.system;
import tmanager = heron.proto.tmanager;

type PendingRequest = { readonly kind: 'register'; readonly registration: Buffer } | { readonly kind: 'heartbeat' };

/** What the client needs from its stream manager. */
export interface TManagerClientOptions {
  readonly state: StateManager;
  readonly topologyName: string;
  readonly topologyId: string;
  readonly heartbeatIntervalMs: number;
  readonly reconnectIntervalMs: number;
  readonly logger: Logger;
  /** The registration to send now: this stream manager's record and its container's instances. */
  readonly registration: () => tmanager.StMgrRegisterRequest;
  /** A physical plan from the topology manager (in a registration response or pushed). */
  readonly onPlan: (plan: system.PhysicalPlan) => void;
}

/**
 * The stream manager's link to its topology manager. It finds the topology manager through the state manager
 * (watching `tmanagers/<topology>`, following it when it moves), connects once the stream manager is ready (all
 * its local instances registered, as Heron does), registers, heartbeats, and reconnects after
 * `reconnectIntervalMs` whenever the connection fails, is refused, or a heartbeat is refused.
 */
export class TManagerClient {
  private watch: StateWatch | undefined;
  private location: ProtoTManagerLocation | undefined;
  private socket: FramedSocket | undefined;
  private connecting = false;
  private registered = false;
  private ready = false;
  /** The registration last accepted, so an unchanged one is not sent again. */
  private accepted: Buffer | undefined;
  /** Requests awaiting their response, by request id (hex). */
  private readonly pending = new Map<string, PendingRequest>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private waitingLogged = false;
  private stopped = false;

  constructor(private readonly options: TManagerClientOptions) {}

  /** Starts following the topology manager's location. Throws the state manager's errors. */
  async start(): Promise<void> {
    this.watch = await this.options.state.watch('tmanagers', this.options.topologyName, () => this.refreshLocation());
    await this.refreshLocation();
  }

  /** True while registered with a topology manager. */
  get isRegistered(): boolean {
    return this.registered;
  }

  /**
   * Says whether the stream manager is ready to register (every local instance registered). Becoming ready
   * connects, or registers again on the live connection when the registration changed (a new packing plan).
   */
  setReady(ready: boolean): void {
    this.ready = ready;
    if (!ready || this.stopped) return;
    if (this.socket?.isOpen) {
      if (!this.registered || !this.registrationBytes().equals(this.accepted ?? Buffer.alloc(0))) this.sendRegistration();
    } else {
      this.connectSoon(0);
    }
  }

  /** Closes the connection and stops following the location. */
  stop(): void {
    this.stopped = true;
    this.watch?.cancel();
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.retryTimer);
    this.socket?.close('the stream manager is stopping');
  }

  private async refreshLocation(): Promise<void> {
    if (this.stopped) return;
    let location: ProtoTManagerLocation | undefined;
    try {
      location = await this.options.state.find('tmanagers', this.options.topologyName);
    } catch (error) {
      this.options.logger.warn('reading the topology manager location failed', { error: messageOf(error) });
      this.connectSoon(this.options.reconnectIntervalMs);
      return;
    }
    if (location && location.topologyId !== this.options.topologyId) {
      this.options.logger.warn('the topology manager location is of another submission; ignoring it', { topologyId: location.topologyId });
      location = undefined;
    }
    const moved = !sameEndpoint(location, this.location);
    this.location = location;
    if (moved && location) {
      this.waitingLogged = false;
      this.options.logger.info('topology manager location', { host: location.host, serverPort: location.serverPort, controllerPort: location.controllerPort });
      if (this.socket?.isOpen) {
        this.socket.close('the topology manager moved');
      } else {
        // A retry scheduled while the location was unknown would otherwise hold this connection back a whole
        // reconnect interval (measured: 650 ms of a two-container start spent idle waiting for it).
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        this.connectSoon(0);
      }
    }
  }

  /** Connects after `delayMs` unless a connection or an attempt is under way. */
  private connectSoon(delayMs: number): void {
    if (this.stopped || this.retryTimer || this.connecting || this.socket?.isOpen) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delayMs);
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.ready || this.connecting || this.socket?.isOpen) return;
    if (!this.location) {
      if (!this.waitingLogged) this.options.logger.info('waiting for the topology manager location');
      this.waitingLogged = true;
      // The watch should tell; the poll covers a missed event.
      await this.refreshLocation();
      if (!this.location) this.connectSoon(this.options.reconnectIntervalMs);
      return;
    }
    const { host, serverPort } = this.location;
    this.connecting = true;
    const raw = connect(serverPort, host);
    const socket = new FramedSocket(raw, TMANAGER_MAX_FRAME_BYTES, {
      onFrame: (frame) => this.onFrame(frame),
      onClose: (reason) => this.onClose(socket, reason),
    });
    this.socket = socket;
    raw.once('connect', () => {
      this.connecting = false;
      this.options.logger.info('connected to the topology manager', { host, serverPort });
      this.sendRegistration();
    });
  }

  private onClose(socket: FramedSocket, reason: string): void {
    if (socket !== this.socket) return;
    const wasRegistered = this.registered;
    this.connecting = false;
    this.socket = undefined;
    this.registered = false;
    this.accepted = undefined;
    this.pending.clear();
    clearInterval(this.heartbeatTimer);
    if (this.stopped) return;
    const level = wasRegistered ? 'warn' : 'info';
    this.options.logger.log(level, 'topology manager connection closed; reconnecting', { reason, afterMs: this.options.reconnectIntervalMs });
    this.connectSoon(this.options.reconnectIntervalMs);
    // A restarted topology manager writes a new location: read it rather than wait for the watch.
    void this.refreshLocation();
  }

  private sendRegistration(): void {
    const registration = this.registrationBytes();
    this.request(MessageTypes.STMGR_REGISTER_REQUEST, registration, { kind: 'register', registration });
  }

  private registrationBytes(): Buffer {
    return Buffer.from(tmanager.StMgrRegisterRequest.encode(this.options.registration()).finish());
  }

  private request(messageType: string, payload: Uint8Array, purpose: PendingRequest): void {
    const requestId = randomBytes(32);
    this.pending.set(requestId.toString('hex'), purpose);
    this.socket?.send(messageType, payload, requestId);
  }

  private onFrame(frame: Frame): void {
    if (frame.messageType === MessageTypes.NEW_PHYSICAL_PLAN) {
      this.options.onPlan(system.PhysicalPlan.create(heron.proto.stmgr.NewPhysicalPlanMessage.decode(frame.payload).newPplan));
      return;
    }
    const key = Buffer.from(frame.requestId).toString('hex');
    const purpose = this.pending.get(key);
    this.pending.delete(key);
    if (frame.messageType === MessageTypes.STMGR_REGISTER_RESPONSE && purpose?.kind === 'register') {
      this.onRegistered(tmanager.StMgrRegisterResponse.decode(frame.payload), purpose.registration);
    } else if (frame.messageType === MessageTypes.STMGR_HEARTBEAT_RESPONSE && purpose?.kind === 'heartbeat') {
      const { status } = tmanager.StMgrHeartbeatResponse.decode(frame.payload);
      if (status.status !== system.StatusCode.OK) this.socket?.close(`heartbeat refused: ${status.message ?? system.StatusCode[status.status]}`);
    } else {
      throw new Error(`unexpected ${frame.messageType} from the topology manager`);
    }
  }

  private onRegistered(response: tmanager.StMgrRegisterResponse, sent: Buffer): void {
    const { status } = response.status;
    if (status !== system.StatusCode.OK) {
      this.options.logger.warn('the topology manager refused the registration', { status: system.StatusCode[status], reason: response.status.message });
      this.socket?.close(`registration refused (${system.StatusCode[status] ?? status})`);
      return;
    }
    this.accepted = sent;
    this.options.logger.info('registered with the topology manager', { withPlan: response.pplan != null });
    if (!this.registered) {
      this.registered = true;
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatIntervalMs);
    }
    if (response.pplan) this.options.onPlan(system.PhysicalPlan.create(response.pplan));
  }

  private heartbeat(): void {
    const payload = tmanager.StMgrHeartbeatRequest.encode({ heartbeatTime: Date.now(), stats: {} }).finish();
    this.request(MessageTypes.STMGR_HEARTBEAT_REQUEST, payload, { kind: 'heartbeat' });
  }
}

function sameEndpoint(a: ProtoTManagerLocation | undefined, b: ProtoTManagerLocation | undefined): boolean {
  return a?.host === b?.host && a?.serverPort === b?.serverPort;
}
