import type { MetricsUpdate, PublisherSnapshot } from './metrics-store.js';

/** What a sink is handed every interval. */
export interface MetricsFlush {
  readonly timestampMs: number;
  /** Every publisher heard from since the metrics manager started. */
  readonly publishers: readonly PublisherSnapshot[];
  /** The user errors reported since the previous flush, with who reported them. */
  readonly exceptions: readonly FlushedException[];
}

/** A user error with its publisher, as handed to sinks. */
export interface FlushedException {
  readonly component: string;
  readonly instanceId: string;
  readonly hostname: string;
  readonly stacktrace: string;
  readonly message: string;
  readonly count: number;
  readonly firstTime: string;
  readonly lastTime: string;
}

/**
 * One destination of the metrics manager (`egret.metricsmgr.sinks`). `record` sees every accepted publish message
 * as it arrives; `flush` runs every `egret.metrics.interval.ms` and once more on the way out. Neither may throw:
 * a sink that cannot deliver logs and keeps going (metrics never stop the work they describe).
 */
export interface MetricsSink {
  readonly name: string;
  record(update: MetricsUpdate): void;
  flush(flush: MetricsFlush): Promise<void>;
  close(): Promise<void>;
}
