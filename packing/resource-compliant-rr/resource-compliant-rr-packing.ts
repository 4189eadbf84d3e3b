import { inject, injectable } from 'inversify';
import { TopologyConfigKeys } from '../../api/topology-config.js';
import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { assertInstancesFit, containersLowerBound } from '../../core/packing/container-limits.js';
import { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import { packingInputsOf } from '../../core/packing/packing-inputs.js';
import { packingPlanOf, WorkingContainer } from '../../core/packing/working-container.js';
import { createLogger } from '../../core/logging.js';
import { PackingError, type Packing } from '../../core/spi/packing.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { Resource } from '../../core/spi/resource.js';
import { type ResourceCompliantRrConfig, ResourceCompliantRrPackingConfig } from './resource-compliant-rr-config.js';
import { StrictRoundRobin, type Deal } from './strict-round-robin.js';

const logger = createLogger('packing:resource-compliant-rr');

/**
 * Heron's resource-compliant round-robin: `topology.stmgrs` containers with ffd's capacity and padding, instances
 * dealt to them strictly in turn in declaration order; when one does not fit, deal again over one more container.
 */
@injectable()
export class ResourceCompliantRrPacking implements Packing {
  constructor(@inject(ResourceCompliantRrPackingConfig) private readonly config: ResourceCompliantRrConfig) {}

  /**
   * See {@link Packing.pack}. Asking for more containers than instances logs a warning and uses one per instance.
   * Throws PACKING_INSUFFICIENT_RESOURCES naming the component when an instance asks less than 192 MiB of RAM or fits
   * no empty container (then no number of containers would do), PACKING_INVALID_CONFIG for a malformed topology key.
   */
  pack(topology: TopologyDefinition): PackingPlan {
    const { settings, resources, limits } = packingInputsOf(topology, this.config);
    assertInstancesFit(topology.name, resources, limits);
    const components = componentsOf(topology);
    const deals: Deal[] = components.map((component) => ({ resource: resources.get(component.name) as Resource, count: component.parallelism }));
    const instances = deals.reduce((sum, deal) => sum + deal.count, 0);
    let requested = settings.stmgrs;
    if (requested > instances) {
      logger.warn(`${TopologyConfigKeys.STMGRS} asks for more containers than topology '${topology.name}' has instances; using one container per instance`, {
        requested,
        instances,
      });
      requested = instances;
    }
    // Every count below the lower bound fails for want of room, so starting there finds the same first count that
    // works as trying each from topology.stmgrs up, without dealing 100 000 instances once per count.
    const demand = deals.reduce((sum, deal) => sum.plus(deal.resource.multiply(deal.count)), Resource.EMPTY);
    const deal = new StrictRoundRobin(deals, limits);
    for (let count = Math.max(requested, containersLowerBound(demand, instances, limits)); count <= instances; count++) {
      if (!deal.fits(count)) continue;
      const containers = Array.from({ length: count }, (_, i) => WorkingContainer.empty(i + 1));
      const numbering = InstanceNumbering.fresh();
      let position = 0;
      for (const component of components) {
        const resource = resources.get(component.name) as Resource;
        for (let i = 0; i < component.parallelism; i++) (containers[position++ % count] as WorkingContainer).add(numbering.next(component.name, resource));
      }
      return packingPlanOf(topology.name, containers, limits);
    }
    // Unreachable once every instance fits an empty container (one per container always works); kept as a guard.
    throw new PackingError(`cannot pack topology '${topology.name}': its ${instances} instances dealt in turn fit no number of containers up to one per instance`, {
      code: 'PACKING_INSUFFICIENT_RESOURCES',
    });
  }
}
