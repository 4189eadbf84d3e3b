import type { ContainerLimits } from '../../core/packing/container-limits.js';
import type { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import { WorkingContainer } from '../../core/packing/working-container.js';
import type { Resource } from '../../core/spi/resource.js';
import { balancedFill } from './balanced-fill.js';

/** Instances of one component to place. */
export interface BalancedAddition {
  readonly component: string;
  /** What each instance asks. */
  readonly resource: Resource;
  readonly count: number;
}

/**
 * Places new instances the balanced way (see {@link balancedFill}): first into the room left in `containers`, taken
 * in array order (id order), then into new containers appended with ids from `nextContainerId`, each filled before
 * the next is opened. Numbers the instances with `numbering` in placement order. Mutates `containers`.
 * `additions` in declaration order, which decides ties. Expects every instance to fit an empty container (callers
 * check that first).
 */
export function placeBalanced(
  containers: WorkingContainer[],
  additions: readonly BalancedAddition[],
  limits: ContainerLimits,
  numbering: InstanceNumbering,
  nextContainerId: number,
): void {
  const { kinds, positions } = balancedFill(containers, additions, limits);
  let nextId = nextContainerId;
  for (let i = 0; i < kinds.length; i++) {
    const position = positions[i] as number;
    // The fill opens containers in order and fills each before the next, so a new position is always the next one.
    if (position === containers.length) containers.push(WorkingContainer.empty(nextId++));
    const { component, resource } = additions[kinds[i] as number] as BalancedAddition;
    (containers[position] as WorkingContainer).add(numbering.next(component, resource));
  }
}
