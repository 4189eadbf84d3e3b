import type { Tuple, Values } from './tuple.js';

/** Options of a spout emit. */
export interface SpoutEmitOptions {
  /** The output stream; `default` when absent. */
  readonly stream?: string;
  /**
   * Tracks the tuple under ATLEAST_ONCE: the spout's `ack` or `fail` is called with this id once the tuple
   * tree completes or fails. Without it the tuple is not tracked. Any value; it never leaves the spout's process.
   */
  readonly messageId?: unknown;
}

/** Given to a spout's `open`: how it emits. */
export interface SpoutOutputCollector {
  /** Emits a tuple, routed by the groupings of the stream's subscribers. */
  emit(values: Values, options?: SpoutEmitOptions): void;
  /** Emits a tuple on a direct stream to one task of a subscriber that uses direct grouping. */
  emitDirect(taskId: number, values: Values, options?: SpoutEmitOptions): void;
  /** Reports an error to the topology manager (shown by `egret status`) without failing the task. */
  reportError(error: Error): void;
}

/** Options of a bolt emit. */
export interface BoltEmitOptions {
  /** The output stream; `default` when absent. */
  readonly stream?: string;
  /** The input tuples this emit descends from: the new tuple joins their trees under ATLEAST_ONCE. */
  readonly anchors?: Tuple | readonly Tuple[];
}

/** Given to a bolt's `prepare`: how it emits, acks and fails. */
export interface BoltOutputCollector {
  emit(values: Values, options?: BoltEmitOptions): void;
  emitDirect(taskId: number, values: Values, options?: BoltEmitOptions): void;
  /** Marks an input tuple as processed. Every input must be acked or failed under ATLEAST_ONCE. */
  ack(tuple: Tuple): void;
  /** Fails an input tuple: its spout tuple is failed at once and replayed by the spout. */
  fail(tuple: Tuple): void;
  reportError(error: Error): void;
}
