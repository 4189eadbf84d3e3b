import { createServer, type Server } from 'node:net';
import type { Logger } from 'winston';
import { heron } from '../../core/proto/index.js';
import type { Frame } from '../protocol/frames.js';
import { FramedSocket } from '../common/framed-socket.js';
import { MessageTypes, TMANAGER_MAX_FRAME_BYTES } from '../common/message-types.js';
import { MetricsMessageTypes } from '../metrics/metrics-message-types.js';

import tmanager = heron.proto.tmanager;

/**
 * Who is on a connection, decided by its first frame: a stream manager (registration, heartbeats) or a metrics
 * manager (PublishMetrics). A connection never changes kind.
 */
export type ServerConnectionKind = 'unknown' | 'stmgr' | 'metricsmgr';

/** One connection to the topology manager's server port: a stream manager's, or a metrics manager's. */
export class StMgrConnection {
  kind: ServerConnectionKind = 'unknown';

  constructor(
    readonly id: number,
    private readonly socket: FramedSocket,
  ) {}

  get remote(): string {
    return this.socket.remote;
  }

  get isOpen(): boolean {
    return this.socket.isOpen;
  }

  send(messageType: string, payload: Uint8Array, requestId?: Uint8Array): void {
    this.socket.send(messageType, payload, requestId);
  }

  close(reason: string): void {
    this.socket.close(reason);
  }
}

/** What the topology manager does with what stream managers send. */
export interface StMgrServerHandlers {
  onRegister(connection: StMgrConnection, request: tmanager.StMgrRegisterRequest, requestId: Buffer): void;
  onHeartbeat(connection: StMgrConnection, request: tmanager.StMgrHeartbeatRequest, requestId: Buffer): void;
  /** A metrics manager's interval of metrics (no answer is sent, as in Heron). */
  onMetrics(connection: StMgrConnection, message: tmanager.PublishMetrics): void;
  onClose(connection: StMgrConnection, reason: string): void;
}

/** A listening {@link StMgrServer}. */
export interface StMgrServer {
  readonly port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * Listens for stream managers and metrics managers (TCP, OS-chosen port) and decodes what they send. A frame of
 * another type, one of the other kind of connection, or one that does not decode, closes that connection only.
 */
export async function listenForStMgrs(host: string, handlers: StMgrServerHandlers, logger: Logger): Promise<StMgrServer> {
  let nextId = 1;
  const connections = new Set<StMgrConnection>();
  const server: Server = createServer((socket) => {
    let connection: StMgrConnection | undefined = undefined;
    const framed = new FramedSocket(socket, TMANAGER_MAX_FRAME_BYTES, {
      onFrame: (frame) => dispatch(connection!, frame, handlers),
      onClose: (reason) => {
        connections.delete(connection!);
        handlers.onClose(connection!, reason);
      },
    });
    connection = new StMgrConnection(nextId++, framed);
    connections.add(connection);
    logger.debug('connection opened', { connection: connection.id, remote: connection.remote });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.close('the topology manager is stopping');
        server.close(() => resolve());
      }),
  };
}

function dispatch(connection: StMgrConnection, frame: Frame, handlers: StMgrServerHandlers): void {
  if (frame.messageType === MetricsMessageTypes.PUBLISH_METRICS) {
    becomes(connection, 'metricsmgr', frame);
    handlers.onMetrics(connection, decode(tmanager.PublishMetrics, frame));
    return;
  }
  switch (frame.messageType) {
    case MessageTypes.STMGR_REGISTER_REQUEST:
      becomes(connection, 'stmgr', frame);
      handlers.onRegister(connection, decode(tmanager.StMgrRegisterRequest, frame), Buffer.from(frame.requestId));
      return;
    case MessageTypes.STMGR_HEARTBEAT_REQUEST:
      becomes(connection, 'stmgr', frame);
      handlers.onHeartbeat(connection, decode(tmanager.StMgrHeartbeatRequest, frame), Buffer.from(frame.requestId));
      return;
    default:
      throw new Error(`unexpected message type '${frame.messageType}' from a ${connection.kind === 'metricsmgr' ? 'metrics manager' : 'stream manager'}`);
  }
}

function becomes(connection: StMgrConnection, kind: 'stmgr' | 'metricsmgr', frame: Frame): void {
  if (connection.kind !== 'unknown' && connection.kind !== kind) {
    throw new Error(`${frame.messageType} on a ${connection.kind === 'stmgr' ? 'stream manager' : 'metrics manager'}'s connection`);
  }
  connection.kind = kind;
}

function decode<T>(messageClass: { decode(bytes: Uint8Array): T }, frame: Frame): T {
  try {
    return messageClass.decode(frame.payload);
  } catch (error) {
    throw new Error(`${frame.messageType} does not decode: ${error instanceof Error ? error.message : String(error)}`);
  }
}
