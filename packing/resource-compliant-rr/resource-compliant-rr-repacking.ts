import { inject, injectable } from 'inversify';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { containersLowerBound, CPU_TOLERANCE, type ContainerLimits } from '../../core/packing/container-limits.js';
import { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import { repackInputsOf } from '../../core/packing/repack-inputs.js';
import { scaleDown } from '../../core/packing/scale-down.js';
import { packingPlanOf, type WorkingContainer } from '../../core/packing/working-container.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { RepackingError, type ParallelismChanges, type Repacking } from '../../core/spi/repacking.js';
import { Resource } from '../../core/spi/resource.js';
import { placeFromCursor } from './cursor-placement.js';
import { type ResourceCompliantRrConfig, ResourceCompliantRrRepackingConfig } from './resource-compliant-rr-config.js';

/**
 * Heron's resource-compliant round-robin repacking: adds the containers the net extra resources need, scales down
 * in declaration order, then places new instances round-robin from a cursor into the first container with room;
 * when one fits nowhere, the whole repack starts again with one more container.
 */
@injectable()
export class ResourceCompliantRrRepacking implements Repacking {
  constructor(@inject(ResourceCompliantRrRepackingConfig) private readonly config: ResourceCompliantRrConfig) {}

  /**
   * See {@link Repacking.repack}: untouched instances keep their container, task id and index; new ones get task ids
   * above the plan's highest; new containers get ids above the plan's highest, and those left unused are dropped.
   * Throws REPACKING_INVALID_CHANGE for an unknown component or a count below 1, REPACKING_INSUFFICIENT_RESOURCES
   * naming the component when a new instance fits no empty container.
   */
  repack(topology: TopologyDefinition, current: PackingPlan, changes: ParallelismChanges): PackingPlan {
    const { resources, limits, deltas } = repackInputsOf(topology, current, changes, this.config);
    const order = [...resources.keys()];
    const additions = order.flatMap((component) => {
      const delta = deltas.get(component) ?? 0;
      return delta > 0 ? [[component, delta] as const] : [];
    });
    const added = additions.reduce((sum, [component, count]) => sum.plus((resources.get(component) as Resource).multiply(count)), Resource.EMPTY);
    const newInstances = additions.reduce((sum, [, count]) => sum + count, 0);

    // The scale-down does not depend on the number of containers added, so it tells, once, how much room is left.
    let down = scaleDown(current, deltas, order);
    const removed = down.removed.reduce((sum, { instance }) => sum.plus(instance.resources), Resource.EMPTY);
    const extraForNet = containersForNet(added.subtract(removed), limits.capacity);
    // Every count of added containers below what the free room requires fails, so start there: the first count that
    // works is the one the rule (one more container per failed attempt) would reach, without repacking once per count.
    const first = Math.max(extraForNet, extraLowerBound(down.containers, added, newInstances, limits));
    for (let extra = first; extra <= Math.max(first, newInstances); extra++) {
      if (extra > first) down = scaleDown(current, deltas, order);
      const containers = placeFromCursor(down, extra, additions, resources, limits, InstanceNumbering.after(current));
      if (containers) return packingPlanOf(current.id, containers, limits);
    }
    // Unreachable: with one new container per new instance, each finds an empty one. Kept as a guard.
    throw new RepackingError(`cannot repack topology '${topology.name}': its ${newInstances} new instances fit no number of added containers`, {
      code: 'REPACKING_INSUFFICIENT_RESOURCES',
    });
  }
}

/** The fewest containers to add so that the room left in `containers` plus theirs holds `demand` and `instances`. */
function extraLowerBound(containers: readonly WorkingContainer[], demand: Resource, instances: number, limits: ContainerLimits): number {
  const { usable, maxInstances } = limits;
  let cpu = 0;
  let ram = 0;
  let disk = 0;
  let slots = 0;
  for (const container of containers) {
    // As WorkingContainer.accepts measures it, tolerance included, so that the bound never overshoots.
    cpu += Math.max(0, usable.cpu + CPU_TOLERANCE - container.cpu);
    ram += Math.max(0, usable.ram - container.ram);
    disk += Math.max(0, usable.disk - container.disk);
    slots += Math.max(0, maxInstances - container.size);
  }
  const short = new Resource(Math.max(0, demand.cpu - cpu), Math.max(0, demand.ram - ram), Math.max(0, demand.disk - disk));
  return containersLowerBound(short, Math.max(0, instances - slots), limits);
}

/** ceil of `net` over one container's `capacity`, the largest over the dimensions; 0 when nothing more is needed. */
function containersForNet(net: Resource, capacity: Resource): number {
  const ratio = (more: number, room: number) => (more <= 0 || room <= 0 ? 0 : Math.ceil(more / room));
  // Fractional cores leave rounding noise (0.1 × 3 added, 0.3 removed): within the tolerance counts as nothing more.
  return Math.max(ratio(net.cpu - CPU_TOLERANCE, capacity.cpu), ratio(net.ram, capacity.ram), ratio(net.disk, capacity.disk));
}
