import type { MetricKind } from '../metrics/metric-names.js';

/** A sum and the weight it is of: a counter's total (weight unused), or a latency's weighted sum and sample count. */
export interface WeightedSum {
  readonly sum: number;
  readonly weight: number;
}

interface Bucket {
  readonly startMs: number;
  sum: number;
  weight: number;
}

/**
 * One metric of one instance in the topology manager's cache, as Heron's collector keeps it: an all-time
 * aggregate, plus one bucket per `bucketMs` of arrival time for questions about a recent window, purged once older
 * than the history the cache keeps. Counters sum their increases; latencies sum mean × samples and the samples (the
 * mean is their quotient); gauges keep the latest value, restart counts the largest.
 */
export class MetricSeries {
  private total = 0;
  private totalWeight = 0;
  private last: number | undefined;
  private readonly buckets: Bucket[] = [];

  constructor(readonly kind: MetricKind) {}

  /** Adds one reported value (`weight`: the samples behind a latency; 1 otherwise), arrived at `nowMs`. */
  add(value: number, weight: number, nowMs: number, bucketMs: number): void {
    if (this.kind === 'gauge') {
      this.last = value;
      return;
    }
    if (this.kind === 'restarts') {
      this.last = Math.max(this.last ?? 0, value);
      return;
    }
    const sum = this.kind === 'latency' ? value * weight : value;
    this.total += sum;
    this.totalWeight += weight;
    const startMs = Math.floor(nowMs / bucketMs) * bucketMs;
    let bucket = this.buckets.at(-1);
    if (!bucket || bucket.startMs !== startMs) {
      bucket = { startMs, sum: 0, weight: 0 };
      this.buckets.push(bucket);
    }
    bucket.sum += sum;
    bucket.weight += weight;
  }

  /** The all-time aggregate, or only what arrived in buckets starting at or after `sinceMs`. */
  aggregate(sinceMs?: number): WeightedSum {
    if (sinceMs === undefined) return { sum: this.total, weight: this.totalWeight };
    let sum = 0;
    let weight = 0;
    for (let i = this.buckets.length - 1; i >= 0 && (this.buckets[i] as Bucket).startMs >= sinceMs; i--) {
      sum += (this.buckets[i] as Bucket).sum;
      weight += (this.buckets[i] as Bucket).weight;
    }
    return { sum, weight };
  }

  /** A gauge's latest value or a restart count; undefined for other kinds or before any report. */
  get latest(): number | undefined {
    return this.last;
  }

  /** How many buckets of history it holds. */
  get historyLength(): number {
    return this.buckets.length;
  }

  /** Drops the buckets that started before `cutoffMs`. */
  purge(cutoffMs: number): void {
    let stale = 0;
    while (stale < this.buckets.length && (this.buckets[stale] as Bucket).startMs < cutoffMs) stale++;
    if (stale > 0) this.buckets.splice(0, stale);
  }
}
