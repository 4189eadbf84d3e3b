import type { SpoutOutputCollector } from './output-collector.js';
import type { OutputFieldsDeclarer } from './output-fields-declarer.js';
import type { TopologyContext } from './topology-context.js';

/**
 * A source of tuples. Each task runs in its own process; the engine calls these methods from one thread,
 * never two at once.
 */
export interface Spout {
  /** Declares the streams this spout emits; called when the topology is built. */
  declareOutputFields?(declarer: OutputFieldsDeclarer): void;
  /** Called once when the task starts, before anything else. */
  open(context: TopologyContext, collector: SpoutOutputCollector): void | Promise<void>;
  /**
   * Called in a loop while the topology is active and the task is under `topology.max.spout.pending`:
   * emit zero or more tuples and return promptly. A returned promise is awaited before the next call.
   */
  nextTuple(): void | Promise<void>;
  /** The tuple emitted with this message id was fully processed (ATLEAST_ONCE). */
  ack?(messageId: unknown): void;
  /** The tuple emitted with this message id failed or timed out; replay it if it matters. */
  fail?(messageId: unknown): void;
  /** The topology was activated (also after a deactivate). */
  activate?(): void;
  /** The topology was deactivated: `nextTuple` will not be called until `activate`. */
  deactivate?(): void;
  /** Called when the task shuts down cleanly; not guaranteed after a crash. */
  close?(): void | Promise<void>;
}

/** Creates a spout; the engine calls it once per task. */
export type SpoutFactory = () => Spout;
