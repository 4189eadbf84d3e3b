import { randomBytes } from 'node:crypto';
import type { DataPath, DataPathConnection, DataPathEvent, DataPathOptions, DataPathRouting, DataPathStats } from '../../native/data-path-types.js';

/** A frame the control plane queued on a connection. */
export interface SentFrame {
  readonly connectionId: number;
  readonly messageType: string;
  readonly payload: Buffer;
  readonly requestId: Buffer | undefined;
}

/**
 * A stand-in for the C++ data path in unit tests of the stream manager's control plane: it records what the
 * control plane asks of it (routing, attachments, frames sent, connections closed) and lets the test deliver
 * events as the data thread would.
 */
export class FakeDataPath implements DataPath {
  started = false;
  closed = false;
  readonly routings: DataPathRouting[] = [];
  readonly attachedTasks = new Map<number, number>();
  readonly attachedPeers = new Map<number, string>();
  readonly sent: SentFrame[] = [];
  readonly closedConnections: Array<{ readonly id: number; readonly reason: string }> = [];
  peerHello: { readonly frame: { readonly messageType: string; readonly payload: Buffer }; readonly reconnectIntervalMs: number } | undefined;
  private listener: ((event: DataPathEvent) => void) | undefined;

  constructor(
    readonly options: DataPathOptions,
    private readonly dataPort = 7777,
  ) {}

  start(): Promise<{ readonly dataPort: number }> {
    this.started = true;
    return Promise.resolve({ dataPort: this.dataPort });
  }

  setRouting(routing: DataPathRouting): void {
    this.routings.push(routing);
  }

  attachTask(connectionId: number, taskId: number): void {
    this.attachedTasks.set(connectionId, taskId);
  }

  attachPeer(connectionId: number, stmgrId: string): void {
    this.attachedPeers.set(connectionId, stmgrId);
  }

  setPeerHello(frame: { readonly messageType: string; readonly payload: Buffer }, reconnectIntervalMs: number): void {
    this.peerHello = { frame, reconnectIntervalMs };
  }

  send(connectionId: number, messageType: string, payload: Buffer, requestId?: Buffer): void {
    this.sent.push({ connectionId, messageType, payload, requestId });
  }

  closeConnection(connectionId: number, reason: string): void {
    this.closedConnections.push({ id: connectionId, reason });
  }

  stats(): DataPathStats {
    return {
      connections: [],
      tuplesRouted: 0,
      tuplesDropped: {},
      backPressure: { causes: [], announcing: false, announcers: [], spoutsPaused: false, initiatedMs: 0, initiatedMsBySource: [], pausedByOthersMs: 0 },
      acking: { enabled: false, pendingRoots: 0, rootsAcked: 0, rootsFailed: 0, rootsExpired: 0 },
    };
  }

  onEvent(listener: (event: DataPathEvent) => void): void {
    this.listener = listener;
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Delivers a control frame on a connection, as the data thread would; returns the request id used. */
  control(connection: DataPathConnection, messageType: string, payload: Uint8Array, requestId: Buffer = randomBytes(32)): Buffer {
    this.emit({ type: 'control', connection, messageType, requestId, payload: Buffer.from(payload) });
    return requestId;
  }

  emit(event: DataPathEvent): void {
    if (!this.listener) throw new Error('the control plane has not subscribed to data path events');
    this.listener(event);
  }

  /** The frames of a type sent to a connection, oldest first. */
  sentTo(connectionId: number, messageType: string): SentFrame[] {
    return this.sent.filter((f) => f.connectionId === connectionId && f.messageType === messageType);
  }
}
