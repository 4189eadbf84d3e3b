import type { InputStream, OutputStats } from './stream-stats.js';
import type { StreamInfo } from './plan-view.js';

/** Metric name → value, in publishing order. */
export type MetricEntries = Array<[string, number]>;

/** An output stream as the metrics see it (a StreamRoute is one). */
export interface OutputStream {
  readonly info: StreamInfo;
  readonly stats: OutputStats;
}

/**
 * Turns a task's counters into the metrics of PROTOCOL.md §9, with Heron's names, every interval. The counters are
 * plain fields incremented on the tuple path (no lookup, no clock); {@link collect} reads and zeroes them, so
 * counters go out as the increase since the previous publish and latencies as the interval's mean, followed by
 * `<base>-count/<id>`, how many tuples the mean stands for (the metrics manager weights averages by it).
 */
export class TaskMetrics {
  constructor(
    private readonly kind: 'spout' | 'bolt',
    private readonly outputs: readonly OutputStream[],
    private readonly inputs: readonly InputStream[],
  ) {}

  /** The metrics since the last call. */
  collect(): MetricEntries {
    const entries: MetricEntries = [];
    for (const { info, stats } of this.outputs) {
      const stream = info.stream;
      entries.push([`__emit-count/${stream}`, stats.emitCount]);
      if (this.kind === 'spout') {
        entries.push([`__ack-count/${stream}`, stats.ackCount], [`__fail-count/${stream}`, stats.failCount]);
        latency(entries, '__complete-latency', stream, stats.completeMs, stats.completeSamples, stats.completeSamples);
      }
      stats.emitCount = stats.ackCount = stats.failCount = stats.completeMs = stats.completeSamples = 0;
    }
    for (const input of this.inputs) {
      const id = `${input.info.component}/${input.info.stream}`;
      entries.push([`__execute-count/${id}`, input.executeCount], [`__ack-count/${id}`, input.ackCount], [`__fail-count/${id}`, input.failCount]);
      // Sampled: the mean of the timed executes stands for all of them.
      latency(entries, '__execute-latency', id, input.executeMs, input.executeSamples, input.executeCount);
      latency(entries, '__process-latency', id, input.processMs, input.processSamples, input.processSamples);
      input.executeCount = input.ackCount = input.failCount = 0;
      input.executeMs = input.executeSamples = input.processMs = input.processSamples = 0;
    }
    return entries;
  }
}

/** Adds `<base>/<id>`, a mean latency (ms, to the microsecond), and its weight `<base>-count/<id>`, when there was a sample. */
function latency(entries: MetricEntries, base: string, id: string, totalMs: number, samples: number, weight: number): void {
  if (samples === 0) return;
  entries.push([`${base}/${id}`, Math.round((totalMs / samples) * 1000) / 1000], [`${base}-count/${id}`, weight]);
}
