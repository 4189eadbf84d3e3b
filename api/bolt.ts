import type { BoltOutputCollector } from './output-collector.js';
import type { OutputFieldsDeclarer } from './output-fields-declarer.js';
import type { TopologyContext } from './topology-context.js';
import type { Tuple } from './tuple.js';

/**
 * Processes tuples. Each task runs in its own process; the engine calls these methods from one thread,
 * never two at once.
 */
export interface Bolt {
  /** Declares the streams this bolt emits; called when the topology is built. */
  declareOutputFields?(declarer: OutputFieldsDeclarer): void;
  /** Called once when the task starts, before the first tuple. */
  prepare?(context: TopologyContext, collector: BoltOutputCollector): void | Promise<void>;
  /**
   * Called for every input tuple (and tick tuple). Under ATLEAST_ONCE, ack or fail every input, now or later.
   * A returned promise is awaited before the next tuple is delivered.
   */
  execute(tuple: Tuple): void | Promise<void>;
  /** Called when the task shuts down cleanly; not guaranteed after a crash. */
  cleanup?(): void | Promise<void>;
}

/** Creates a bolt; the engine calls it once per task. */
export type BoltFactory = () => Bolt;
