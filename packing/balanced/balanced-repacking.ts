import { inject, injectable } from 'inversify';
import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import { repackInputsOf } from '../../core/packing/repack-inputs.js';
import { scaleDown } from '../../core/packing/scale-down.js';
import { packingPlanOf } from '../../core/packing/working-container.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import type { ParallelismChanges, Repacking } from '../../core/spi/repacking.js';
import type { Resource } from '../../core/spi/resource.js';
import { type BalancedConfig, BalancedRepackingConfig } from './balanced-config.js';
import { placeBalanced } from './balanced-placement.js';

/**
 * Repacks as balanced packs: scales down in declaration order (see scaleDown), then fills the room left in the
 * remaining containers, in id order, with the new instances the balanced way, and only then opens new containers.
 */
@injectable()
export class BalancedRepacking implements Repacking {
  constructor(@inject(BalancedRepackingConfig) private readonly config: BalancedConfig) {}

  /**
   * See {@link Repacking.repack}: untouched instances keep their container, task id and index; new ones get task ids
   * above the plan's highest. Throws REPACKING_INVALID_CHANGE for an unknown component or a count below 1,
   * REPACKING_INSUFFICIENT_RESOURCES naming the component when a new instance fits no empty container.
   */
  repack(topology: TopologyDefinition, current: PackingPlan, changes: ParallelismChanges): PackingPlan {
    const { resources, limits, deltas } = repackInputsOf(topology, current, changes, this.config);
    const order = componentsOf(topology).map((component) => component.name);
    const { containers, nextContainerId } = scaleDown(current, deltas, order);
    const additions = order.flatMap((component) => {
      const count = deltas.get(component) ?? 0;
      return count > 0 ? [{ component, resource: resources.get(component) as Resource, count }] : [];
    });
    placeBalanced(containers, additions, limits, InstanceNumbering.after(current), nextContainerId);
    return packingPlanOf(current.id, containers, limits);
  }
}
