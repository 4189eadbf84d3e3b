import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import type { DataPathStats } from '../../native/data-path-types.js';
import type { MetricsPublisher, MetricsPublisherIdentity } from '../metrics/metrics-publisher.js';
import { StMgrMetrics } from './stmgr-metrics.js';

/** What the stream manager asks of its metrics publisher (runtime/metrics' MetricsPublisher, a fake in tests). */
export type StMgrMetricsPublisher = Pick<MetricsPublisher, 'connected' | 'publish' | 'close'>;

/** Makes the publisher for the metrics manager at `endpoint`. */
export type StMgrMetricsPublisherFactory = (endpoint: string, identity: MetricsPublisherIdentity) => StMgrMetricsPublisher;

/**
 * Publishes the data path's counters (as {@link StMgrMetrics} names them) every interval. While the publisher is not
 * connected nothing is collected, so the increases keep adding up and reach the metrics manager once it is back
 * (better than Heron, which loses them). Metrics never stop the work they describe: a failure is logged, not thrown.
 */
export class StMgrMetricsReporter {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly publisher: StMgrMetricsPublisher,
    private readonly metrics: StMgrMetrics,
    private readonly stats: () => DataPathStats,
    intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.publish(), intervalMs);
    this.timer.unref();
  }

  /** Stops publishing and closes the publisher. */
  close(): void {
    clearInterval(this.timer);
    this.publisher.close();
  }

  private publish(): void {
    if (!this.publisher.connected) return;
    try {
      this.publisher.publish(this.metrics.collect(this.stats()));
    } catch (error) {
      this.logger.warn('cannot publish metrics', { error: messageOf(error) });
    }
  }
}
