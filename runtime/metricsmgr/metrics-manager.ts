import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import type { FlushedException, MetricsSink } from './metrics-sink.js';
import { MetricsStore, type MetricsUpdate } from './metrics-store.js';
import { listenForPublishers, type PublisherServer } from './publisher-server.js';

const MAX_EXCEPTIONS_PER_INTERVAL = 1024;

/** What a metrics manager needs; the process reads it from the package. */
export interface MetricsManagerOptions {
  /** The local endpoint publishers connect to (`metricsManagerEndpoint(topologyId, container)`). */
  readonly endpoint: string;
  readonly sinks: readonly MetricsSink[];
  /** How often the sinks are flushed (`egret.metrics.interval.ms`). */
  readonly intervalMs: number;
  readonly logger: Logger;
}

/**
 * One container's metrics manager: takes the metrics of the container's publishers (instances, stream manager),
 * keeps them in a {@link MetricsStore}, hands every message to each sink as it arrives, and flushes every sink each
 * interval. A sink that fails is logged and never stops the others.
 */
export class MetricsManager {
  private readonly store = new MetricsStore();
  private exceptions: FlushedException[] = [];
  private timer: NodeJS.Timeout | undefined;
  private server: PublisherServer | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Metric names already reported as rejected, per publisher: a bad metric is logged once, not every interval. */
  private readonly rejectedLogged = new Set<string>();

  private constructor(private readonly options: MetricsManagerOptions) {}

  /** Listens for publishers and starts the interval. Throws when the endpoint cannot be listened on. */
  static async start(options: MetricsManagerOptions): Promise<MetricsManager> {
    const manager = new MetricsManager(options);
    const { logger } = options;
    manager.server = await listenForPublishers(
      options.endpoint,
      {
        onRegister: (publisher) => logger.info('publisher registered', { component: publisher.component, instance: publisher.instanceId, hostname: publisher.hostname }),
        onPublish: (publisher, message) => manager.onUpdate(manager.store.apply(publisher, message, Date.now())),
        onClose: (publisher, reason) => {
          const level = reason === 'closed by the other end' ? 'info' : 'warn';
          logger.log(level, 'publisher connection closed', { component: publisher?.component, instance: publisher?.instanceId, reason });
        },
      },
      logger,
    );
    manager.timer = setInterval(() => void manager.flush(), options.intervalMs);
    return manager;
  }

  /** Publishers registered now. */
  get connected(): number {
    return this.server?.connected ?? 0;
  }

  /** Flushes every sink now (also what the interval does); flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  /** Stops taking metrics, flushes once more, and closes the sinks. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.server?.close();
    await this.flush();
    await Promise.all(this.options.sinks.map((sink) => sink.close().catch((error: unknown) => this.options.logger.warn('closing a sink failed', { sink: sink.name, error: messageOf(error) }))));
  }

  private onUpdate(update: MetricsUpdate): void {
    const { logger, sinks } = this.options;
    for (const { name, reason } of update.rejected) {
      const key = `${update.publisher.instanceId}\0${name}`;
      if (this.rejectedLogged.has(key)) continue;
      this.rejectedLogged.add(key);
      logger.warn('metric ignored', { instance: update.publisher.instanceId, metric: name, reason });
    }
    for (const e of update.exceptions) {
      // Publishers aggregate their errors per interval already; this only guards against one that does not.
      if (this.exceptions.length >= MAX_EXCEPTIONS_PER_INTERVAL) break;
      const { component, instanceId, hostname } = update.publisher;
      this.exceptions.push({ component, instanceId, hostname, stacktrace: e.stacktrace, message: e.message, count: e.count, firstTime: e.firstTime, lastTime: e.lastTime });
    }
    for (const sink of sinks) {
      try {
        sink.record(update);
      } catch (error) {
        logger.error('a sink failed to record metrics', { sink: sink.name, error: messageOf(error) });
      }
    }
  }

  private async flushOnce(): Promise<void> {
    const flush = { timestampMs: Date.now(), publishers: this.store.snapshot(), exceptions: this.exceptions };
    this.exceptions = [];
    await Promise.all(
      this.options.sinks.map((sink) => sink.flush(flush).catch((error: unknown) => this.options.logger.error('a sink failed to flush', { sink: sink.name, error: messageOf(error) }))),
    );
  }
}
