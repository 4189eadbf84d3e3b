import type { InstancePlan, PackingPlan } from '../spi/packing-plan.js';
import { RepackingError, type ParallelismChanges } from '../spi/repacking.js';
import { BinaryHeap } from './binary-heap.js';
import { WorkingContainer } from './working-container.js';

/** An instance that {@link scaleDown} removed, and the container it left. */
export interface RemovedInstance {
  readonly instance: InstancePlan;
  readonly containerId: number;
}

/** What {@link scaleDown} leaves: the containers to scale up into, and what it took out. */
export interface ScaleDownResult {
  /** The plan's containers in id order, as working copies, less the removed instances; emptied containers dropped. */
  readonly containers: WorkingContainer[];
  /** Every removed instance, in removal order. */
  readonly removed: readonly RemovedInstance[];
  /** The id for the first container a scale-up adds: above every id of the input plan, so that none is reused. */
  readonly nextContainerId: number;
}

/**
 * The first half of every capacity-aware repack (ffd, resource-compliant-rr, balanced): removes instances for the
 * negative `deltas`, one at a time, components in `order` (the algorithm's own order). Each removal takes, among
 * the containers holding the component, the one that (1) holds only that component, then (2) has the fewest
 * instances, then (3) the highest share of that component, then (4) the highest id, scored afresh after every
 * removal; from it, the component's instance with the lowest task id. Containers left empty are dropped.
 *
 * Pure: `plan` is not changed; the result is fresh working copies, whose untouched containers turn back into the
 * very ContainerPlans they came from. Positive and zero deltas are ignored (scale-up is the algorithm's own).
 * Throws REPACKING_INVALID_CHANGE RepackingError when a component to shrink is missing from `order` or has fewer
 * instances in the plan than it is to lose; callers check the changes first, so this guards against bugs.
 */
export function scaleDown(plan: PackingPlan, deltas: ParallelismChanges, order: readonly string[]): ScaleDownResult {
  for (const [component, delta] of deltas) {
    if (delta < 0 && !order.includes(component)) {
      throw new RepackingError(`cannot scale down '${component}' of plan '${plan.id}': it is not among the components ${order.join(', ')}`, { code: 'REPACKING_INVALID_CHANGE' });
    }
  }
  const containers = plan.containers.map((container) => WorkingContainer.of(container));
  const removed: RemovedInstance[] = [];
  for (const component of order) {
    const toRemove = -(deltas.get(component) ?? 0);
    if (toRemove <= 0) continue;
    // Removing from a container changes only that container's score, and only it goes back in: no stale entries.
    const candidates = new BinaryHeap<WorkingContainer>((a, b) => removeFirst(a, b, component));
    for (const container of containers) if (container.countOf(component) > 0) candidates.push(container);
    for (let i = 0; i < toRemove; i++) {
      const container = candidates.pop();
      const instance = container?.removeLowest(component);
      if (!container || !instance) {
        throw new RepackingError(`cannot remove ${toRemove} instances of '${component}' from plan '${plan.id}': it holds only ${i}`, { code: 'REPACKING_INVALID_CHANGE' });
      }
      removed.push({ instance, containerId: container.id });
      if (container.countOf(component) > 0) candidates.push(container);
    }
  }
  const nextContainerId = plan.containers.reduce((highest, container) => Math.max(highest, container.id), 0) + 1;
  return { containers: containers.filter((container) => container.size > 0), removed, nextContainerId };
}

/** True when an instance of `component` is to be removed from `a` before `b`: the four criteria, in turn. */
function removeFirst(a: WorkingContainer, b: WorkingContainer, component: string): boolean {
  const countA = a.countOf(component);
  const countB = b.countOf(component);
  const onlyA = countA === a.size;
  const onlyB = countB === b.size;
  if (onlyA !== onlyB) return onlyA;
  if (a.size !== b.size) return a.size < b.size;
  // countA / a.size against countB / b.size, cross-multiplied to stay in whole numbers.
  const share = countA * b.size - countB * a.size;
  if (share !== 0) return share > 0;
  return a.id > b.id;
}
