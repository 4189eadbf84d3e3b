import { inject, injectable } from 'inversify';
import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { assertInstancesFit } from '../../core/packing/container-limits.js';
import { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import { packingInputsOf } from '../../core/packing/packing-inputs.js';
import { packingPlanOf, type WorkingContainer } from '../../core/packing/working-container.js';
import type { Packing } from '../../core/spi/packing.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { type FfdConfig, FfdPackingConfig } from './ffd-config.js';
import { ffdOrder, placeFirstFit } from './ffd-placement.js';

/**
 * First-fit decreasing: components sorted by what an instance asks (RAM then cpu, descending, or cpu first under
 * `topology.packing.ffd.sorting.strategy: CPU_FIRST`), each instance into the lowest-numbered container it fits,
 * else into a new one. Containers are as many as needed; `topology.stmgrs` plays no part.
 */
@injectable()
export class FfdPacking implements Packing {
  constructor(@inject(FfdPackingConfig) private readonly config: FfdConfig) {}

  /**
   * See {@link Packing.pack}. Throws PACKING_INSUFFICIENT_RESOURCES naming the component when an instance asks less
   * than 192 MiB of RAM or fits no empty container, PACKING_INVALID_CONFIG for a malformed topology key.
   */
  pack(topology: TopologyDefinition): PackingPlan {
    const { settings, resources, limits } = packingInputsOf(topology, this.config);
    assertInstancesFit(topology.name, resources, limits);
    const parallelism = new Map(componentsOf(topology).map((component) => [component.name, component.parallelism]));
    const containers: WorkingContainer[] = [];
    const additions = ffdOrder(resources, settings.ffdSortingStrategy).map((component) => [component, parallelism.get(component) ?? 0] as const);
    placeFirstFit(containers, additions, resources, limits, InstanceNumbering.fresh(), 1);
    return packingPlanOf(topology.name, containers, limits);
  }
}
