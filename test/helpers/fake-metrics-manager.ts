import net from 'node:net';
import { heron } from '../../core/proto/index.js';
import { localSocketPath, metricsManagerEndpoint } from '../../runtime/common/local-endpoint.js';
import { encodeFrame, FrameReader, type Frame } from '../../runtime/protocol/frames.js';

import system = heron.proto.system;

const REGISTER_REQUEST = 'heron.proto.system.MetricPublisherRegisterRequest';
const REGISTER_RESPONSE = 'heron.proto.system.MetricPublisherRegisterResponse';
const PUBLISH_MESSAGE = 'heron.proto.system.MetricPublisherPublishMessage';

/** One publish message received, with the publisher that sent it. */
export interface ReceivedPublish {
  readonly publisher: system.IMetricPublisher;
  /** Name → value, as numbers where they parse as one. */
  readonly metrics: ReadonlyMap<string, number | string>;
  readonly exceptions: readonly system.IExceptionData[];
  readonly at: number;
}

/**
 * A metrics manager for instance tests (native/PROTOCOL.md §9, written from the protocol): listens where a
 * container's metrics manager listens, answers registrations OK, and keeps every publish message decoded with
 * core/proto's classes.
 */
export class FakeMetricsManager {
  readonly registrations: system.IMetricPublisher[] = [];
  readonly published: ReceivedPublish[] = [];
  private readonly connections = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly endpoint: string,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens at `metricsManagerEndpoint(topologyId, container)`. */
  static async start(topologyId: string, container = 1): Promise<FakeMetricsManager> {
    const endpoint = metricsManagerEndpoint(topologyId, container);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(localSocketPath(endpoint)!, () => resolve());
    });
    return new FakeMetricsManager(server, endpoint);
  }

  /** Sums a counter over every publish (of `instanceId` when given). */
  total(name: string, instanceId?: string): number {
    let sum = 0;
    for (const p of this.published) if (instanceId === undefined || p.publisher.instanceId === instanceId) sum += Number(p.metrics.get(name) ?? 0);
    return sum;
  }

  /** Every exception published. */
  get exceptions(): system.IExceptionData[] {
    return this.published.flatMap((p) => [...p.exceptions]);
  }

  /** Drops every publisher connection (a metrics manager that died) and stops listening. */
  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.connections.add(socket);
    const reader = new FrameReader(1 << 20);
    let publisher: system.IMetricPublisher | undefined;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) publisher = this.onFrame(socket, frame, publisher);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.connections.delete(socket));
  }

  private onFrame(socket: net.Socket, frame: Frame, publisher: system.IMetricPublisher | undefined): system.IMetricPublisher | undefined {
    if (frame.messageType === REGISTER_REQUEST) {
      const request = system.MetricPublisherRegisterRequest.decode(frame.payload);
      this.registrations.push(request.publisher);
      socket.write(encodeFrame(REGISTER_RESPONSE, system.MetricPublisherRegisterResponse.encode({ status: { status: system.StatusCode.OK } }).finish(), frame.requestId));
      return request.publisher;
    }
    if (frame.messageType !== PUBLISH_MESSAGE) throw new Error(`fake metrics manager: unexpected ${frame.messageType}`);
    if (publisher === undefined) throw new Error('fake metrics manager: a publish before the registration');
    const message = system.MetricPublisherPublishMessage.decode(frame.payload);
    const metrics = new Map<string, number | string>(message.metrics.map((m) => [m.name, Number.isNaN(Number(m.value)) ? m.value : Number(m.value)]));
    this.published.push({ publisher, metrics, exceptions: message.exceptions, at: Date.now() });
    return publisher;
  }
}
