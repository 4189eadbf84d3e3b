import type { heron } from '../../core/proto/index.js';
import { taskIdOfInstanceId } from '../common/runtime-ids.js';
import { endedTransientGauges, latencyWeight, type MetricName, parseMetricName } from '../metrics/metric-names.js';
import { type CachedException, ExceptionLog } from './exception-log.js';
import { MetricSeries } from './metric-series.js';

/** How much the cache keeps. */
export interface MetricsCacheOptions {
  /** History kept for window questions (Heron: `heron.tmanager.metrics.collector.maximum.interval.min` = 180 min). */
  readonly historyMs?: number;
  /** Width of one history bucket (Heron: one minute). */
  readonly bucketMs?: number;
  /** Exceptions kept (Heron: 256). */
  readonly maxExceptions?: number;
}

/** One publisher's metrics in the cache: an instance, or a stream manager (component `__stmgr__`). */
export interface CachedInstance {
  readonly component: string;
  readonly instanceId: string;
  /** When its metrics last arrived (the topology manager's clock). */
  readonly lastReportMs: number;
  readonly series: ReadonlyMap<string, MetricSeries>;
}

interface InstanceEntry {
  component: string;
  readonly instanceId: string;
  lastReportMs: number;
  readonly series: Map<string, MetricSeries>;
}

/** Heron's `heron.tmanager.metrics.collector.maximum.interval.min`: 180 minutes. */
export const DEFAULT_HISTORY_MS = 180 * 60_000;
/** One minute: the granularity of window questions, as in Heron. */
export const DEFAULT_BUCKET_MS = 60_000;

/**
 * The topology manager's metrics cache (Heron's metrics collector): takes the `PublishMetrics` of every container's
 * metrics manager and keeps, per instance and metric, all-time aggregates and a bounded, purged history; and the
 * user errors, bounded. Pure: the caller owns the clock and the purge timer.
 */
export class MetricsCache {
  readonly historyMs: number;
  readonly bucketMs: number;
  private readonly instances = new Map<string, InstanceEntry>();
  private readonly exceptionLog: ExceptionLog;

  constructor(options: MetricsCacheOptions = {}) {
    this.historyMs = options.historyMs ?? DEFAULT_HISTORY_MS;
    this.bucketMs = options.bucketMs ?? DEFAULT_BUCKET_MS;
    this.exceptionLog = new ExceptionLog(options.maxExceptions ?? 256);
  }

  /**
   * Adds one message. A datum whose value is not a number, or a negative counter increase, is skipped (returned
   * counted). A latency is weighted by its sample count from the same message (metric-names.ts). The message holds
   * each of its publishers' current transient gauges (metric-names.ts): one of theirs it lacks has ended and goes.
   */
  ingest(message: heron.proto.tmanager.PublishMetrics, nowMs: number): { readonly skipped: number } {
    let skipped = 0;
    const byInstance = new Map<string, { component: string; values: Array<[MetricName, number]> }>();
    for (const datum of message.metrics) {
      const value = Number(datum.value);
      if (datum.value === '' || !Number.isFinite(value) || datum.instanceId === '') {
        skipped++;
        continue;
      }
      const group = byInstance.get(datum.instanceId) ?? { component: datum.componentName, values: [] };
      byInstance.set(datum.instanceId, group);
      group.values.push([parseMetricName(datum.name), value]);
    }
    for (const [instanceId, { component, values }] of byInstance) {
      const entry = this.entryOf(instanceId, component, nowMs);
      const counters = new Map(values.filter(([m]) => m.kind === 'counter').map(([m, v]) => [m.name, v]));
      for (const [metric, value] of values) {
        if (metric.kind === 'counter' && value < 0) {
          skipped++;
          continue;
        }
        let series = entry.series.get(metric.name);
        if (!series) {
          series = new MetricSeries(metric.kind);
          entry.series.set(metric.name, series);
        }
        series.add(value, metric.kind === 'latency' ? latencyWeight(metric, counters) : 1, nowMs, this.bucketMs);
      }
      const sent = new Set(values.map(([m]) => m.name));
      for (const name of endedTransientGauges(entry.series.keys(), sent)) entry.series.delete(name);
    }
    for (const e of message.exceptions) {
      this.exceptionLog.add({
        component: e.componentName,
        instance: e.instanceId,
        task: taskIdOfInstanceId(e.instanceId) ?? null,
        hostname: e.hostname,
        message: e.logging ?? '',
        stacktrace: e.stacktrace,
        count: e.count,
        firstTime: e.firsttime,
        lastTime: e.lasttime,
      });
    }
    return { skipped };
  }

  /**
   * Drops history older than `historyMs` before `nowMs`, and the instances silent for that long (gone with a
   * packing plan update), so memory stays bounded however long the topology runs.
   */
  purge(nowMs: number): void {
    const cutoff = nowMs - this.historyMs;
    for (const [id, entry] of this.instances) {
      if (entry.lastReportMs < cutoff) this.instances.delete(id);
      else for (const series of entry.series.values()) series.purge(cutoff);
    }
  }

  /** Every instance and stream manager heard from, in the order first heard. */
  entries(): CachedInstance[] {
    return [...this.instances.values()];
  }

  /** The kept user errors, the most recently reported last; only `component`'s when given. */
  exceptions(component?: string): CachedException[] {
    return this.exceptionLog.list(component);
  }

  private entryOf(instanceId: string, component: string, nowMs: number): InstanceEntry {
    let entry = this.instances.get(instanceId);
    if (!entry) {
      entry = { component, instanceId, lastReportMs: nowMs, series: new Map() };
      this.instances.set(instanceId, entry);
    }
    entry.component = component;
    entry.lastReportMs = nowMs;
    return entry;
  }
}
