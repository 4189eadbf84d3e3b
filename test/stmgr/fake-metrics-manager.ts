import { createServer, type Server } from 'node:net';
import { heron } from '../../core/proto/index.js';
import { FramedSocket } from '../../runtime/common/framed-socket.js';
import { localSocketPath } from '../../runtime/common/local-endpoint.js';

/** One MetricPublisherPublishMessage as received, with the publisher that sent it. */
export interface ReceivedMetrics {
  readonly publisher: { readonly component: string; readonly instanceId: string; readonly instanceIndex: number };
  readonly metrics: ReadonlyMap<string, number>;
}

/**
 * A container's metrics manager as far as a publisher can tell (native/PROTOCOL.md §9): it listens at the
 * container's endpoint, takes registrations and records every publish message.
 */
export class FakeMetricsManager {
  readonly received: ReceivedMetrics[] = [];
  private readonly sockets = new Set<FramedSocket>();

  private constructor(private readonly server: Server) {}

  static async listen(endpoint: string): Promise<FakeMetricsManager> {
    const manager: FakeMetricsManager = new FakeMetricsManager(
      createServer((raw) => {
        let publisher: ReceivedMetrics['publisher'] | undefined;
        const socket = new FramedSocket(raw, 1024 * 1024, {
          onFrame: (frame) => {
            if (frame.messageType === 'heron.proto.system.MetricPublisherRegisterRequest') {
              const { publisher: p } = heron.proto.system.MetricPublisherRegisterRequest.decode(frame.payload);
              publisher = { component: p.componentName, instanceId: p.instanceId, instanceIndex: p.instanceIndex };
            } else if (frame.messageType === 'heron.proto.system.MetricPublisherPublishMessage' && publisher) {
              const message = heron.proto.system.MetricPublisherPublishMessage.decode(frame.payload);
              manager.received.push({ publisher, metrics: new Map(message.metrics.map((m) => [m.name, Number(m.value)])) });
            }
          },
          onClose: () => manager.sockets.delete(socket),
        });
        manager.sockets.add(socket);
      }),
    );
    await new Promise<void>((resolve, reject) => {
      manager.server.once('error', reject);
      manager.server.listen(localSocketPath(endpoint), resolve);
    });
    return manager;
  }

  /** The sum of a metric over every message received (counters are increases), or the last value (gauges). */
  total(name: string): number {
    return this.received.reduce((n, r) => n + (r.metrics.get(name) ?? 0), 0);
  }

  last(name: string): number | undefined {
    return this.received.findLast((r) => r.metrics.has(name))?.metrics.get(name);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.close('test done');
    await new Promise((resolve) => this.server.close(resolve));
  }
}
