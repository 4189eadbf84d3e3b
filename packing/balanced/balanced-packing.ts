import { inject, injectable } from 'inversify';
import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { assertInstancesFit } from '../../core/packing/container-limits.js';
import { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import { packingInputsOf } from '../../core/packing/packing-inputs.js';
import { packingPlanOf, type WorkingContainer } from '../../core/packing/working-container.js';
import type { Packing } from '../../core/spi/packing.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import type { Resource } from '../../core/spi/resource.js';
import { type BalancedConfig, BalancedPackingConfig } from './balanced-config.js';
import { placeBalanced } from './balanced-placement.js';

/**
 * Multi-resource packing under ffd's capacity, padding and instance limit: containers are filled one at a time, each
 * with the instances that best match its remaining room across cpu, RAM, disk and instance count, so that no one
 * dimension fills up while the others stay empty. The match is a weighted dot product of the instance's demand and
 * the container's room, each dimension weighted by the demand still to place in it; four weightings are tried and
 * the plan with the fewest containers kept (see balancedFill). Containers are as many as needed; `topology.stmgrs`
 * plays no part.
 */
@injectable()
export class BalancedPacking implements Packing {
  constructor(@inject(BalancedPackingConfig) private readonly config: BalancedConfig) {}

  /**
   * See {@link Packing.pack}. Throws PACKING_INSUFFICIENT_RESOURCES naming the component when an instance asks less
   * than 192 MiB of RAM or fits no empty container, PACKING_INVALID_CONFIG for a malformed topology key.
   */
  pack(topology: TopologyDefinition): PackingPlan {
    const { resources, limits } = packingInputsOf(topology, this.config);
    assertInstancesFit(topology.name, resources, limits);
    const additions = componentsOf(topology).map((component) => ({
      component: component.name,
      resource: resources.get(component.name) as Resource,
      count: component.parallelism,
    }));
    const containers: WorkingContainer[] = [];
    placeBalanced(containers, additions, limits, InstanceNumbering.fresh(), 1);
    return packingPlanOf(topology.name, containers, limits);
  }
}
