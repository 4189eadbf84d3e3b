import { inject, injectable } from 'inversify';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import { repackInputsOf } from '../../core/packing/repack-inputs.js';
import { scaleDown } from '../../core/packing/scale-down.js';
import { packingPlanOf } from '../../core/packing/working-container.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import type { ParallelismChanges, Repacking } from '../../core/spi/repacking.js';
import { type FfdConfig, FfdRepackingConfig } from './ffd-config.js';
import { ffdOrder, placeFirstFit } from './ffd-placement.js';

/**
 * Repacks as ffd packs: scales down in ffd's component order (see scaleDown), then places the new instances first
 * fit into the containers left, in id order, appending new containers where none accepts them.
 */
@injectable()
export class FfdRepacking implements Repacking {
  constructor(@inject(FfdRepackingConfig) private readonly config: FfdConfig) {}

  /**
   * See {@link Repacking.repack}: untouched instances keep their container, task id and index; new ones get task ids
   * above the plan's highest. Throws REPACKING_INVALID_CHANGE for an unknown component or a count below 1,
   * REPACKING_INSUFFICIENT_RESOURCES naming the component when a new instance fits no empty container.
   */
  repack(topology: TopologyDefinition, current: PackingPlan, changes: ParallelismChanges): PackingPlan {
    const { settings, resources, limits, deltas } = repackInputsOf(topology, current, changes, this.config);
    const order = ffdOrder(resources, settings.ffdSortingStrategy);
    const { containers, nextContainerId } = scaleDown(current, deltas, order);
    const additions = order.flatMap((component) => {
      const delta = deltas.get(component) ?? 0;
      return delta > 0 ? [[component, delta] as const] : [];
    });
    placeFirstFit(containers, additions, resources, limits, InstanceNumbering.after(current), nextContainerId);
    return packingPlanOf(current.id, containers, limits);
  }
}
