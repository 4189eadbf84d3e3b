import { endedTransientGauges, latencyWeight, parseMetricName } from './metric-names.js';

/**
 * A publisher's reports that could not be sent (its metrics manager was starting or restarting), merged into one by
 * what each name means (metric-names.ts), so that nothing counted is lost and memory stays one entry per name:
 * counter increases summed, latencies re-weighted by their sample counts, gauges the latest (transient ones only if
 * the latest report has them), restart counts the largest. {@link drain} gives the merged report to send and starts afresh.
 */
export class MetricsAccumulator {
  private readonly counters = new Map<string, number>();
  private readonly latencies = new Map<string, { sum: number; weight: number }>();
  private readonly latest = new Map<string, number>();

  /** Merges one report (name → value, as the publisher would have sent it). */
  add(report: ReadonlyMap<string, number>): void {
    // A transient gauge the newer report lacks has ended: the merged report, standing for the newest, lacks it too.
    for (const name of endedTransientGauges(this.latest.keys(), report)) this.latest.delete(name);
    for (const [name, value] of report) {
      const metric = parseMetricName(name);
      switch (metric.kind) {
        case 'counter':
          this.counters.set(name, (this.counters.get(name) ?? 0) + value);
          break;
        case 'latency': {
          // Weighted by the report's own sample count, which the merged counters then carry.
          const weight = latencyWeight(metric, report);
          const total = this.latencies.get(name) ?? { sum: 0, weight: 0 };
          this.latencies.set(name, { sum: total.sum + value * weight, weight: total.weight + weight });
          break;
        }
        case 'restarts':
          this.latest.set(name, Math.max(this.latest.get(name) ?? 0, value));
          break;
        default:
          this.latest.set(name, value);
      }
    }
  }

  /** The merged report of everything added since the last drain; empty when nothing was. */
  drain(): Map<string, number> {
    const merged = new Map<string, number>(this.counters);
    for (const [name, { sum, weight }] of this.latencies) merged.set(name, weight > 0 ? sum / weight : 0);
    for (const [name, value] of this.latest) merged.set(name, value);
    this.counters.clear();
    this.latencies.clear();
    this.latest.clear();
    return merged;
  }
}
