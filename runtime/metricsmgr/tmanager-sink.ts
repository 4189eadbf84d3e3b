import type { Logger } from 'winston';
import { heron } from '../../core/proto/index.js';
import { MetricsMessageTypes } from '../metrics/metrics-message-types.js';
import type { MetricsFlush, MetricsSink } from './metrics-sink.js';
import type { MetricsUpdate, PublisherInfo } from './metrics-store.js';

import tmanager = heron.proto.tmanager;

/** Exceptions held while the topology manager is away, as many as its cache keeps. */
const MAX_PENDING_EXCEPTIONS = 256;

/** Where the sink's messages go: a {@link TManagerLink} (tests give a fake). */
export interface MetricsLink {
  /** Sends one frame now, or returns false when it cannot (not connected, not keeping up). */
  send(messageType: string, payload: Uint8Array): boolean;
  close(): void;
}

interface Pending {
  info: PublisherInfo;
  lastMs: number;
  readonly counters: Map<string, number>;
  readonly latencies: Map<string, { sum: number; weight: number }>;
  readonly gauges: Map<string, number>;
  restarts: number | undefined;
}

/**
 * Heron's tmanager sink: every interval, one `PublishMetrics` to the topology manager's metrics cache with what
 * arrived since the previous one: counter increases (summed), latencies (the mean over what arrived, weighted by
 * samples), gauges and restart counts (the latest; of the transient gauges, those still published), each datum
 * with its component, instance id and the time it arrived; and the interval's exceptions as `TmanagerExceptionLog`s.
 * While the topology manager is away, what arrives keeps accumulating (one entry per metric name, so memory stays
 * bounded) and goes with the next send.
 */
export class TManagerSink implements MetricsSink {
  readonly name = 'tmanager';
  private readonly pending = new Map<string, Pending>();
  private exceptions: tmanager.TmanagerExceptionLog.$Properties[] = [];
  private dropped = 0;

  constructor(
    private readonly link: MetricsLink,
    private readonly logger: Logger,
  ) {}

  record(update: MetricsUpdate): void {
    const entry = this.entryOf(update.publisher);
    entry.lastMs = update.timestampMs;
    for (const [name, increase] of update.counters) entry.counters.set(name, (entry.counters.get(name) ?? 0) + increase);
    for (const [name, { meanMs, weight }] of update.latencies) {
      const sum = entry.latencies.get(name) ?? { sum: 0, weight: 0 };
      entry.latencies.set(name, { sum: sum.sum + meanMs * weight, weight: sum.weight + weight });
    }
    for (const [name, value] of update.gauges) entry.gauges.set(name, value);
    // So the next send carries the publisher's current transient gauges only, and the cache drops the others.
    for (const name of update.ended) entry.gauges.delete(name);
    if (update.restarts !== undefined) entry.restarts = Math.max(entry.restarts ?? 0, update.restarts);
    for (const e of update.exceptions) {
      this.exceptions.push({
        componentName: update.publisher.component,
        hostname: update.publisher.hostname,
        instanceId: update.publisher.instanceId,
        stacktrace: e.stacktrace,
        firsttime: e.firstTime,
        lasttime: e.lastTime,
        count: e.count,
        logging: e.message,
      });
    }
    if (this.exceptions.length > MAX_PENDING_EXCEPTIONS) {
      this.dropped += this.exceptions.length - MAX_PENDING_EXCEPTIONS;
      this.exceptions = this.exceptions.slice(-MAX_PENDING_EXCEPTIONS);
    }
  }

  flush(_flush: MetricsFlush): Promise<void> {
    if (this.pending.size === 0 && this.exceptions.length === 0) return Promise.resolve();
    const metrics: tmanager.MetricDatum.$Properties[] = [];
    for (const entry of this.pending.values()) {
      const datum = (name: string, value: number) =>
        metrics.push({ componentName: entry.info.component, instanceId: entry.info.instanceId, name, value: String(value), timestamp: entry.lastMs });
      for (const [name, value] of entry.counters) datum(name, value);
      for (const [name, { sum, weight }] of entry.latencies) datum(name, weight > 0 ? sum / weight : 0);
      for (const [name, value] of entry.gauges) datum(name, value);
      if (entry.restarts !== undefined) datum('__restarts', entry.restarts);
    }
    const payload = tmanager.PublishMetrics.encode({ metrics, exceptions: this.exceptions }).finish();
    if (!this.link.send(MetricsMessageTypes.PUBLISH_METRICS, payload)) return Promise.resolve();
    if (this.dropped > 0) this.logger.warn('exceptions dropped while the topology manager was away', { dropped: this.dropped });
    this.pending.clear();
    this.exceptions = [];
    this.dropped = 0;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.link.close();
    return Promise.resolve();
  }

  private entryOf(info: PublisherInfo): Pending {
    let entry = this.pending.get(info.instanceId);
    if (!entry) {
      entry = { info, lastMs: 0, counters: new Map(), latencies: new Map(), gauges: new Map(), restarts: undefined };
      this.pending.set(info.instanceId, entry);
    }
    entry.info = info;
    return entry;
  }
}
