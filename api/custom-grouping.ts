import type { TopologyContext } from './topology-context.js';
import type { Values } from './tuple.js';

/**
 * A grouping decided in the emitting task: for every tuple, the receiving tasks. It runs in the emitter's
 * process; the stream manager only delivers to the tasks it returns.
 */
export interface CustomStreamGrouping {
  /** Called once in each emitting task, with the task ids of the subscribing component. */
  prepare(context: TopologyContext, stream: { readonly component: string; readonly stream: string }, targetTasks: readonly number[]): void;
  /** The receiving tasks of one tuple: a subset of `targetTasks` (empty drops the tuple). */
  chooseTasks(values: readonly unknown[]): readonly number[];
}
