import net from 'node:net';
import { hostname } from 'node:os';
import type { Logger } from 'winston';
import { heron } from '../../core/proto/index.js';
import { FramedSocket } from '../common/framed-socket.js';
import { localSocketPath } from '../common/local-endpoint.js';

const REGISTER_REQUEST = 'heron.proto.system.MetricPublisherRegisterRequest';
const PUBLISH_MESSAGE = 'heron.proto.system.MetricPublisherPublishMessage';
const MAX_FRAME_BYTES = 1024 * 1024;

/** Who publishes: an instance (`container_1_count_3`, its component and index) or a stream manager. */
export interface MetricsPublisherIdentity {
  readonly component: string;
  readonly instanceId: string;
  readonly instanceIndex: number;
}

/** One user error, aggregated over the interval (native/PROTOCOL.md §9). */
export interface PublishedException {
  readonly stacktrace: string;
  readonly firstTime: string;
  readonly lastTime: string;
  readonly count: number;
  /** The error's message. */
  readonly logging: string;
}

/**
 * The publishing side of native/PROTOCOL.md §9, for instances and stream managers: connects to the container's
 * metrics manager, registers, and sends what it is given. Metrics must never stop the work they describe, so it
 * never throws: while the metrics manager is away (starting, restarting) it reconnects every second and what was
 * published meanwhile is lost (counters are increases, so totals would be off by what was lost, as in Heron): its
 * users look at {@link connected} first and keep what they could not send (the stream manager does not collect,
 * instances merge their reports with MetricsAccumulator).
 */
export class MetricsPublisher {
  private socket: FramedSocket | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly endpoint: string,
    private readonly identity: MetricsPublisherIdentity,
    private readonly logger: Logger,
  ) {
    this.connect();
  }

  /** True while registered with a metrics manager. */
  get connected(): boolean {
    return this.socket?.isOpen ?? false;
  }

  /** Sends metrics (name → value; numbers are written as decimal strings) and exceptions, if connected. */
  publish(metrics: ReadonlyMap<string, number | string>, exceptions: readonly PublishedException[] = []): void {
    const socket = this.socket;
    if (!socket?.isOpen) return;
    const message = heron.proto.system.MetricPublisherPublishMessage.encode({
      metrics: [...metrics].map(([name, value]) => ({ name, value: String(value) })),
      exceptions: exceptions.map((e) => ({ stacktrace: e.stacktrace, firsttime: e.firstTime, lasttime: e.lastTime, count: e.count, logging: e.logging })),
    }).finish();
    socket.send(PUBLISH_MESSAGE, message);
  }

  /** Stops publishing and closes the connection. Safe to call twice. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reconnect);
    this.socket?.close('publisher closed');
  }

  private connect(): void {
    const path = localSocketPath(this.endpoint);
    if (path === undefined || this.closed) {
      if (path === undefined) this.logger.warn('not publishing metrics: malformed metrics manager endpoint', { endpoint: this.endpoint });
      return;
    }
    const raw = net.connect(path);
    raw.unref();
    const socket = new FramedSocket(raw, MAX_FRAME_BYTES, {
      onFrame: () => {
        // The registration response: nothing to do with it (a refusal closes the connection).
      },
      onClose: (reason) => {
        if (this.socket === socket) this.socket = undefined;
        if (this.closed) return;
        this.logger.debug('metrics manager connection closed; reconnecting', { reason });
        this.reconnect = setTimeout(() => this.connect(), 1000);
        this.reconnect.unref();
      },
    });
    raw.once('connect', () => {
      const request = heron.proto.system.MetricPublisherRegisterRequest.encode({
        publisher: { hostname: hostname(), port: 0, componentName: this.identity.component, instanceId: this.identity.instanceId, instanceIndex: this.identity.instanceIndex },
      }).finish();
      socket.send(REGISTER_REQUEST, request);
      this.socket = socket;
    });
  }
}
