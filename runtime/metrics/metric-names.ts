/**
 * How a published metric's value is to be read, from its name (native/PROTOCOL.md §9), shared by the metrics
 * manager and the topology manager's metrics cache:
 *
 * - `counter`: the increase since the publisher's previous message (Heron's convention); totals are sums.
 * - `latency`: the mean over the interval, in milliseconds; averages are weighted by the sample count.
 * - `restarts`: how often the publishing process was restarted (it knows from `EGRET_RESTART_COUNT`): an absolute
 *   count that only grows, so the largest value seen is kept (which is right whether a publisher sends it every
 *   interval or once).
 * - `gauge`: a current value (queue depths, back pressure on or off, and any name this table does not know).
 */
export type MetricKind = 'counter' | 'latency' | 'restarts' | 'gauge';

/** A metric name taken apart: `__execute-count/words/default` is base `__execute-count`, parts `words`, `default`. */
export interface MetricName {
  readonly name: string;
  readonly base: string;
  /** The segments after the base (stream, source component, connection id...), possibly none. */
  readonly parts: readonly string[];
  readonly kind: MetricKind;
}

const COUNTER_BASES: ReadonlySet<string> = new Set([
  '__emit-count',
  '__execute-count',
  '__ack-count',
  '__fail-count',
  '__connection-tuples-in',
  '__connection-tuples-out',
  '__connection-bytes-in',
  '__connection-bytes-out',
  '__tuples-dropped',
]);

/**
 * Gauges a publisher sends only while what they describe holds, every message carrying all of its current ones: the
 * stream manager's back-pressure causes (`__back-pressure-since/<instance or peer id>`) and the peers announcing
 * (`__back-pressure-peer-since/<peer id>`), each valued at when it started, and the bytes queued on each of its open
 * connections (`__connection-queued-bytes/<instance or peer id>`). One that a publisher's next message lacks has
 * ended: every sink drops it rather than keep its last value (a closed connection queues nothing).
 */
const TRANSIENT_GAUGE_BASES: ReadonlySet<string> = new Set(['__back-pressure-since', '__back-pressure-peer-since', '__connection-queued-bytes']);

/** The component name stream managers publish under (Heron's). */
export const STMGR_COMPONENT = '__stmgr__';

/** Parses a metric name; never fails (an unknown name is a gauge). */
export function parseMetricName(name: string): MetricName {
  const [base = '', ...parts] = name.split('/');
  return { name, base, parts, kind: kindOf(base) };
}

function kindOf(base: string): MetricKind {
  // Time spent in back pressure (`__time_spent_back_pressure_*`) is published as milliseconds added.
  if (COUNTER_BASES.has(base) || base.startsWith('__time_spent_') || base.endsWith('-latency-count')) return 'counter';
  if (base.endsWith('-latency')) return 'latency';
  if (base === '__restarts') return 'restarts';
  return 'gauge';
}

/** Whether `name` is a gauge present only while its state holds ({@link TRANSIENT_GAUGE_BASES}). */
export function isTransientGauge(name: string): boolean {
  return TRANSIENT_GAUGE_BASES.has(parseMetricName(name).base);
}

/**
 * The transient gauges among `before` (what a publisher sent until now) that its latest message, `latest`, no longer
 * carries: what they described has ended.
 */
export function endedTransientGauges(before: Iterable<string>, latest: { has(name: string): boolean }): string[] {
  const ended: string[] = [];
  for (const name of before) if (isTransientGauge(name) && !latest.has(name)) ended.push(name);
  return ended;
}

/** The counters latency `__complete-latency/default` can be weighted by, best first; empty for other metrics. */
export function latencyWeightNames(metric: MetricName): string[] {
  if (metric.kind !== 'latency') return [];
  const suffix = metric.parts.length > 0 ? `/${metric.parts.join('/')}` : '';
  // An explicit sample count wins; otherwise the tuples the latency was measured on (a spout's complete latency
  // on its acks; a bolt's process latency on the inputs it acked, its execute latency on those it executed).
  const names = [`${metric.base}-count${suffix}`];
  if (metric.base === '__complete-latency' || metric.base === '__process-latency') names.push(`__ack-count${suffix}`);
  if (metric.base === '__execute-latency') names.push(`__execute-count${suffix}`);
  return names;
}

/**
 * The sample count of each latency among `values` (one publisher's, one message's): the first of
 * {@link latencyWeightNames} present with a positive value, or 1 (each report one sample, as Heron averages).
 */
export function latencyWeight(metric: MetricName, values: ReadonlyMap<string, number>): number {
  for (const name of latencyWeightNames(metric)) {
    const weight = values.get(name);
    if (weight !== undefined && weight > 0) return weight;
  }
  return 1;
}

/** The task id in an instance id `container_<c>_<component>_<task>`, or undefined for another id. */
export function taskIdOfInstance(instanceId: string): number | undefined {
  const match = /^container_\d+_.+_(\d+)$/.exec(instanceId);
  return match ? Number(match[1]) : undefined;
}
