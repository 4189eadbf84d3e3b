import type {
  TManagerComponentMetrics,
  TManagerInstanceMetrics,
  TManagerMetrics,
  TManagerStMgrMetrics,
  TManagerTupleMetrics,
} from '../../core/submit/tmanager-metrics.js';
import { parseMetricName, STMGR_COMPONENT } from '../metrics/metric-names.js';
import type { CachedInstance, MetricsCache } from './metrics-cache.js';
import type { MetricSeries, WeightedSum } from './metric-series.js';

// The shapes of `GET /metrics`, under the names this folder uses (core/submit/tmanager-metrics.ts defines them).
export type TupleMetricsView = TManagerTupleMetrics;
export type InstanceMetricsView = TManagerInstanceMetrics;
export type ComponentMetricsView = TManagerComponentMetrics;
export type StMgrMetricsView = TManagerStMgrMetrics;
export type TopologyMetricsView = TManagerMetrics;

/** Back-pressure time by cause: a local instance (`by_compid`) or a peer stream manager (`by_stmgr`). */
const CAUSE_BASES: ReadonlySet<string> = new Set(['__time_spent_back_pressure_by_compid', '__time_spent_back_pressure_by_stmgr']);
/** When each cause now started, and each peer now announcing. */
const ACTIVE_BASES: ReadonlySet<string> = new Set(['__back-pressure-since']);
const PEER_BASES: ReadonlySet<string> = new Set(['__back-pressure-peer-since']);
const COUNTS = { emitted: '__emit-count', executed: '__execute-count', acked: '__ack-count', failed: '__fail-count' } as const;
const LATENCIES = { completeLatencyMs: '__complete-latency', executeLatencyMs: '__execute-latency', processLatencyMs: '__process-latency' } as const;

type Sums = Record<keyof typeof COUNTS, number> & Record<keyof typeof LATENCIES, { sum: number; weight: number }>;

/** Builds the `GET /metrics` answer from the cache, over the last `intervalMs` before `nowMs` when given. */
export function buildMetricsView(cache: MetricsCache, names: { topology: string; topologyId: string }, nowMs: number, intervalMs?: number): TopologyMetricsView {
  const sinceMs = intervalMs === undefined ? undefined : nowMs - intervalMs;
  const components: Record<string, { sums: Sums; instances: Record<string, InstanceMetricsView> }> = {};
  const stmgrs: Record<string, StMgrMetricsView> = {};
  for (const entry of cache.entries()) {
    if (entry.component === STMGR_COMPONENT) {
      stmgrs[entry.instanceId] = stmgrView(entry, sinceMs);
      continue;
    }
    const sums = sumsOf(entry, sinceMs);
    const component = (components[entry.component] ??= { sums: emptySums(), instances: {} });
    addSums(component.sums, sums);
    component.instances[entry.instanceId] = {
      ...tupleView(sums),
      restarts: latestOf(entry, '__restarts') ?? 0,
      inQueueDepth: latestOf(entry, '__in-queue-depth') ?? null,
      outQueueDepth: latestOf(entry, '__out-queue-depth') ?? null,
      lastReportMs: entry.lastReportMs,
    };
  }
  return {
    topology: names.topology,
    topologyId: names.topologyId,
    intervalSeconds: intervalMs === undefined ? null : intervalMs / 1000,
    components: Object.fromEntries(Object.entries(components).map(([name, c]) => [name, { ...tupleView(c.sums), instances: c.instances }])),
    stmgrs,
  };
}

function stmgrView(entry: CachedInstance, sinceMs: number | undefined): StMgrMetricsView {
  return {
    tuplesIn: sumOf(entry, '__connection-tuples-in', sinceMs).sum,
    tuplesOut: sumOf(entry, '__connection-tuples-out', sinceMs).sum,
    bytesIn: sumOf(entry, '__connection-bytes-in', sinceMs).sum,
    bytesOut: sumOf(entry, '__connection-bytes-out', sinceMs).sum,
    dropped: sumOf(entry, '__tuples-dropped', sinceMs).sum,
    backPressure: latestOf(entry, '__back-pressure') === 1,
    backPressureMs: sumOf(entry, '__time_spent_back_pressure_initiated', sinceMs).sum,
    causes: byPart(entry, CAUSE_BASES, (series) => series.aggregate(sinceMs).sum),
    // Transient gauges: the cache holds only those still published, so these are the current ones.
    active: byPart(entry, ACTIVE_BASES, (series) => series.latest ?? 0),
    peersAnnouncing: byPart(entry, PEER_BASES, (series) => series.latest ?? 0),
    spoutsPaused: latestOf(entry, '__spouts-paused') === 1,
    pausedByOthersMs: sumOf(entry, '__time_spent_back_pressure_by_others', sinceMs).sum,
    restarts: latestOf(entry, '__restarts') ?? 0,
    lastReportMs: entry.lastReportMs,
  };
}

/** `read` of every series whose base is one of `bases`, by the rest of its name (`__x/stmgr-2` → `stmgr-2`). */
function byPart(entry: CachedInstance, bases: ReadonlySet<string>, read: (series: MetricSeries) => number): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [name, series] of entry.series) {
    const metric = parseMetricName(name);
    if (bases.has(metric.base)) values[metric.parts.join('/')] = read(series);
  }
  return values;
}

/** The aggregate of every series of `base` (`__emit-count` covers `__emit-count/<each stream>`). */
function sumOf(entry: CachedInstance, base: string, sinceMs: number | undefined): WeightedSum {
  let sum = 0;
  let weight = 0;
  for (const [name, series] of entry.series) {
    if (name !== base && !name.startsWith(`${base}/`)) continue;
    const aggregate = series.aggregate(sinceMs);
    sum += aggregate.sum;
    weight += aggregate.weight;
  }
  return { sum, weight };
}

function latestOf(entry: CachedInstance, name: string): number | undefined {
  return entry.series.get(name)?.latest;
}

function sumsOf(entry: CachedInstance, sinceMs: number | undefined): Sums {
  const sums = emptySums();
  for (const [key, base] of Object.entries(COUNTS) as Array<[keyof typeof COUNTS, string]>) sums[key] = sumOf(entry, base, sinceMs).sum;
  for (const [key, base] of Object.entries(LATENCIES) as Array<[keyof typeof LATENCIES, string]>) sums[key] = { ...sumOf(entry, base, sinceMs) };
  return sums;
}

function emptySums(): Sums {
  return { emitted: 0, executed: 0, acked: 0, failed: 0, completeLatencyMs: { sum: 0, weight: 0 }, executeLatencyMs: { sum: 0, weight: 0 }, processLatencyMs: { sum: 0, weight: 0 } };
}

function addSums(into: Sums, sums: Sums): void {
  for (const key of Object.keys(COUNTS) as Array<keyof typeof COUNTS>) into[key] += sums[key];
  for (const key of Object.keys(LATENCIES) as Array<keyof typeof LATENCIES>) {
    into[key].sum += sums[key].sum;
    into[key].weight += sums[key].weight;
  }
}

function tupleView(sums: Sums): TupleMetricsView {
  const mean = (s: { sum: number; weight: number }) => (s.weight > 0 ? s.sum / s.weight : null);
  return {
    emitted: sums.emitted,
    executed: sums.executed,
    acked: sums.acked,
    failed: sums.failed,
    completeLatencyMs: mean(sums.completeLatencyMs),
    executeLatencyMs: mean(sums.executeLatencyMs),
    processLatencyMs: mean(sums.processLatencyMs),
  };
}
