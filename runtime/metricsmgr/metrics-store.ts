import type { heron } from '../../core/proto/index.js';
import { endedTransientGauges, latencyWeight, type MetricName, parseMetricName } from '../metrics/metric-names.js';

/** Who published: what a publisher said when it registered. */
export interface PublisherInfo {
  readonly component: string;
  readonly instanceId: string;
  readonly instanceIndex: number;
  readonly hostname: string;
}

/** One user error a publisher reported, as it reported it. */
export interface PublisherException {
  readonly stacktrace: string;
  readonly firstTime: string;
  readonly lastTime: string;
  readonly count: number;
  readonly message: string;
}

/** A mean latency and how many samples it stands for. */
export interface WeightedLatency {
  readonly meanMs: number;
  readonly weight: number;
}

/** What one publish message changed, for sinks that follow every message (Prometheus, the topology manager). */
export interface MetricsUpdate {
  readonly publisher: PublisherInfo;
  readonly timestampMs: number;
  /** Counter name → increase (≥ 0). */
  readonly counters: ReadonlyMap<string, number>;
  /** Latency name → the interval's mean and its sample count. */
  readonly latencies: ReadonlyMap<string, WeightedLatency>;
  /** Gauge name → current value. */
  readonly gauges: ReadonlyMap<string, number>;
  /**
   * Transient gauges (runtime/metrics/metric-names.ts) the publisher sent before and not in this message: what they
   * described has ended, and sinks drop them.
   */
  readonly ended: readonly string[];
  /** Restart count, when published (absolute, see metric-names.ts). */
  readonly restarts: number | undefined;
  readonly exceptions: readonly PublisherException[];
  /** Names of datums left out, and why (a value that is not a number, a counter that went down). */
  readonly rejected: readonly { readonly name: string; readonly reason: string }[];
}

/** Everything kept about one publisher (an instance or the stream manager), for snapshot sinks. */
export interface PublisherSnapshot {
  readonly component: string;
  readonly instanceId: string;
  readonly hostname: string;
  readonly lastPublishMs: number;
  /** Counter totals since this metrics manager started (a restarted publisher continues its totals). */
  readonly counters: Readonly<Record<string, number>>;
  /** Latest mean latencies, in milliseconds. */
  readonly latencies: Readonly<Record<string, number>>;
  readonly gauges: Readonly<Record<string, number>>;
  readonly restarts: number;
}

interface PublisherState {
  info: PublisherInfo;
  lastPublishMs: number;
  readonly counters: Map<string, number>;
  readonly latencies: Map<string, number>;
  readonly gauges: Map<string, number>;
  restarts: number;
}

/**
 * The metrics manager's memory: per publisher (keyed by instance id, so that a restarted instance's counters go on
 * from where they were), counter totals, the latest gauges (transient ones only while published) and latencies, the
 * largest restart count. Pure: the caller owns the clock.
 */
export class MetricsStore {
  private readonly publishers = new Map<string, PublisherState>();

  /** Applies one MetricPublisherPublishMessage from `publisher` and returns what it changed. */
  apply(publisher: PublisherInfo, message: heron.proto.system.MetricPublisherPublishMessage, nowMs: number): MetricsUpdate {
    const state = this.stateOf(publisher);
    state.lastPublishMs = nowMs;
    const counters = new Map<string, number>();
    const latencies: Array<[MetricName, number]> = [];
    const gauges = new Map<string, number>();
    const rejected: Array<{ name: string; reason: string }> = [];
    let restarts: number | undefined;
    for (const datum of message.metrics) {
      const name = datum.name;
      const value = Number(datum.value);
      // Heron allows any string; only numbers can be summed, averaged or exported.
      if (datum.value === '' || !Number.isFinite(value)) {
        rejected.push({ name, reason: `value ${JSON.stringify(datum.value)} is not a number` });
        continue;
      }
      const metric = parseMetricName(name);
      switch (metric.kind) {
        case 'counter':
          if (value < 0) rejected.push({ name, reason: `a counter increase cannot be negative (${value})` });
          else counters.set(name, (counters.get(name) ?? 0) + value);
          break;
        case 'latency':
          latencies.push([metric, value]);
          break;
        case 'restarts':
          restarts = Math.max(restarts ?? 0, value);
          break;
        case 'gauge':
          gauges.set(name, value);
          break;
      }
    }
    for (const [name, increase] of counters) state.counters.set(name, (state.counters.get(name) ?? 0) + increase);
    const weighted = new Map<string, WeightedLatency>();
    for (const [metric, meanMs] of latencies) {
      weighted.set(metric.name, { meanMs, weight: latencyWeight(metric, counters) });
      state.latencies.set(metric.name, meanMs);
    }
    for (const [name, value] of gauges) state.gauges.set(name, value);
    const ended = endedTransientGauges(state.gauges.keys(), gauges);
    for (const name of ended) state.gauges.delete(name);
    if (restarts !== undefined) state.restarts = Math.max(state.restarts, restarts);
    const exceptions = message.exceptions.map((e) => ({ stacktrace: e.stacktrace, firstTime: e.firsttime, lastTime: e.lasttime, count: e.count, message: e.logging }));
    return { publisher: state.info, timestampMs: nowMs, counters, latencies: weighted, gauges, ended, restarts, exceptions, rejected };
  }

  /** Every publisher heard from, by instance id. */
  snapshot(): PublisherSnapshot[] {
    return [...this.publishers.values()].map((state) => ({
      component: state.info.component,
      instanceId: state.info.instanceId,
      hostname: state.info.hostname,
      lastPublishMs: state.lastPublishMs,
      counters: Object.fromEntries(state.counters),
      latencies: Object.fromEntries(state.latencies),
      gauges: Object.fromEntries(state.gauges),
      restarts: state.restarts,
    }));
  }

  private stateOf(info: PublisherInfo): PublisherState {
    let state = this.publishers.get(info.instanceId);
    if (!state) {
      state = { info, lastPublishMs: 0, counters: new Map(), latencies: new Map(), gauges: new Map(), restarts: 0 };
      this.publishers.set(info.instanceId, state);
    }
    // A restarted publisher may come back with another host or index; the latest registration describes it.
    state.info = info;
    return state;
  }
}
