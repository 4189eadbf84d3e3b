import { createServer, type Server } from 'node:net';
import { heron } from '../../core/proto/index.js';
import { FramedSocket } from '../../runtime/common/framed-socket.js';

import tmanager = heron.proto.tmanager;

/**
 * A topology manager's server port written in the test: it records every PublishMetrics a metrics manager sends,
 * and can drop its connections (a restarting topology manager, a network blip).
 */
export class FakeTManager {
  readonly received: tmanager.PublishMetrics[] = [];
  /** Connections accepted so far. */
  accepted = 0;
  private readonly sockets = new Set<FramedSocket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeTManager> {
    let fake: FakeTManager | undefined;
    const server = createServer((raw) => {
      const target = fake!;
      target.accepted += 1;
      const socket: FramedSocket = new FramedSocket(raw, 16 * 1024 * 1024, {
        onFrame: (frame) => {
          if (frame.messageType !== 'heron.proto.tmanager.PublishMetrics') throw new Error(`unexpected ${frame.messageType}`);
          target.received.push(tmanager.PublishMetrics.decode(frame.payload));
        },
        onClose: () => target.sockets.delete(socket),
      });
      target.sockets.add(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeTManager(server);
    return fake;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Connections open now. */
  get open(): number {
    return this.sockets.size;
  }

  /** Every datum received, in order. */
  datums(): tmanager.PublishMetrics['metrics'] {
    return this.received.flatMap((m) => m.metrics);
  }

  /** Closes every connection, keeping the port open. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.close('dropped by the test');
  }

  close(): Promise<void> {
    this.dropConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
