import type { StreamInfo } from './plan-view.js';

/**
 * The counters of one output stream since the last publish (PROTOCOL.md §9): plain fields that the emitter and, for a
 * spout, the acking code increment, and that {@link TaskMetrics} reads and zeroes every interval.
 */
export class OutputStats {
  emitCount = 0;
  /** Spouts only: message ids acked, failed (explicitly or by timeout), and the complete latency of the acked. */
  ackCount = 0;
  failCount = 0;
  completeMs = 0;
  completeSamples = 0;
}

/**
 * One input stream of a bolt and its counters since the last publish. Every tuple of the stream points here, so
 * counting an execute or an ack is one increment, with no lookup.
 */
export class InputStream {
  executeCount = 0;
  /** Execute latency, measured on a sample of the executes (see BoltRunner). */
  executeMs = 0;
  executeSamples = 0;
  ackCount = 0;
  failCount = 0;
  /** Receipt to ack (or fail) of the acked (or failed) tuples. */
  processMs = 0;
  processSamples = 0;

  constructor(readonly info: StreamInfo) {}
}

/** When a batch of tuples reached the task thread; shared by its tuples (a number field would be boxed per tuple). */
export interface Arrival {
  readonly at: number;
}
