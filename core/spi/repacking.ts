import type { TopologyDefinition } from '../../api/topology-definition.js';
import { EgretError } from '../errors.js';
import type { PackingPlan } from './packing-plan.js';

export type RepackingErrorCode =
  /** A change names a component the topology does not have, or would leave a component with no instance. */
  | 'REPACKING_INVALID_CHANGE'
  /** The topology's or cluster's packing keys are invalid or contradictory. */
  | 'REPACKING_INVALID_CONFIG'
  /** The new instances cannot fit the resources allowed. */
  | 'REPACKING_INSUFFICIENT_RESOURCES';

/** Thrown by {@link Repacking}; the message says which component and why. */
export class RepackingError extends EgretError<RepackingErrorCode> {}

/** DI token of the {@link Repacking} plugin chosen by `egret.repacking`. */
export const Repacking: unique symbol = Symbol.for('egret.spi.Repacking');

/**
 * Parallelism changes for a repack: component name to a delta (+n adds n instances, -n removes n).
 * `egret update --component-parallelism comp:N` takes absolute numbers; {@link parallelismDeltas} converts them.
 */
export type ParallelismChanges = ReadonlyMap<string, number>;

/**
 * Turns a new plan for an existing topology (for `egret update`). Chosen by `egret.repacking`.
 * Implementations should keep untouched instances where they are (same container, task id and index) and hand out
 * new task ids above the plan's highest; one that packs afresh instead (round-robin, as in Heron) says so in its
 * documentation, since every task then moves. Throws {@link RepackingError} when a change cannot be honoured.
 */
export interface Repacking {
  /** Applies `changes` (deltas) to `current`, choosing the number of containers itself. */
  repack(topology: TopologyDefinition, current: PackingPlan, changes: ParallelismChanges): PackingPlan;
  /** Applies `changes` to `current` and ends with exactly `containers` containers, when the algorithm can. */
  repackToContainers?(topology: TopologyDefinition, current: PackingPlan, containers: number, changes: ParallelismChanges): PackingPlan;
}

/**
 * Converts requested absolute parallelisms to deltas against the plan's current counts, dropping components
 * whose count does not change. Throws REPACKING_INVALID_CHANGE for an unknown component or a count below 1.
 */
export function parallelismDeltas(current: ReadonlyMap<string, number>, requested: ReadonlyMap<string, number>): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const [component, parallelism] of requested) {
    const now = current.get(component);
    if (now === undefined) {
      throw new RepackingError(`component '${component}' is not in the topology (components: ${[...current.keys()].join(', ')})`, { code: 'REPACKING_INVALID_CHANGE' });
    }
    if (!Number.isSafeInteger(parallelism) || parallelism < 1) {
      throw new RepackingError(`parallelism of '${component}' must be a whole number >= 1, got ${parallelism}`, { code: 'REPACKING_INVALID_CHANGE' });
    }
    if (parallelism !== now) deltas.set(component, parallelism - now);
  }
  return deltas;
}
