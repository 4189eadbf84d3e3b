import { inject, injectable } from 'inversify';
import { GiB } from '../../api/byte-amount.js';
import { TopologyConfigKeys, type TopologyConfig } from '../../api/topology-config.js';
import { componentsOf, type ComponentDefinition, type TopologyDefinition } from '../../api/topology-definition.js';
import { cappedRequirement, containerCapsOf } from '../../core/packing/container-requirement.js';
import { instanceResourcesOf } from '../../core/packing/instance-resources.js';
import { readPackingTopologyConfig } from '../../core/packing/packing-topology-config.js';
import { Packing, PackingError } from '../../core/spi/packing.js';
import { createPackingPlan, type InstancePlan, type PackingPlan } from '../../core/spi/packing-plan.js';
import { Resource } from '../../core/spi/resource.js';
import { RoundRobinPackingConfig } from './round-robin-packing-config.js';

/** Heron's round-robin padding: room for the stream manager and metrics manager beside the instances. */
const DEFAULT_CPU_PADDING = 1;
const DEFAULT_RAM_PADDING = 2 * GiB;
const DEFAULT_DISK_PADDING = 12 * GiB;

/**
 * Heron's round-robin packing: `topology.stmgrs` containers, instances dealt to them in turn, heaviest RAM
 * components first, so that every container gets the same number of instances (give or take one).
 */
@injectable()
export class RoundRobinPacking implements Packing {
  constructor(@inject(RoundRobinPackingConfig) private readonly config: RoundRobinPackingConfig) {}

  /** See {@link Packing.pack}; throws PACKING_INVALID_CONFIG for more containers than instances. */
  pack(topology: TopologyDefinition): PackingPlan {
    const settings = readPackingTopologyConfig(topology);
    const resources = instanceResourcesOf(topology, this.config);
    const components = componentsOf(topology);
    const count = containerCount(topology, settings, components);

    const placed: InstancePlan[][] = Array.from({ length: count }, () => []);
    let cursor = 0;
    let taskId = 1;
    // Array.prototype.sort is stable, so equal RAM keeps declaration order.
    for (const component of [...components].sort((a, b) => explicitRam(b) - explicitRam(a))) {
      const instanceResources = resources.get(component.name) as Resource;
      for (let componentIndex = 0; componentIndex < component.parallelism; componentIndex++) {
        (placed[cursor] as InstancePlan[]).push({ component: component.name, taskId: taskId++, componentIndex, resources: instanceResources });
        cursor = (cursor + 1) % count;
      }
    }

    const padding = new Resource(
      settings.containerCpuPadding ?? DEFAULT_CPU_PADDING,
      settings.containerRamPadding ?? DEFAULT_RAM_PADDING,
      settings.containerDiskPadding ?? DEFAULT_DISK_PADDING,
    );
    const caps = containerCapsOf(settings);
    const hint = `; raise the cap, or spread the instances over more containers (${TopologyConfigKeys.STMGRS} is ${count})`;
    return createPackingPlan(
      topology.name,
      placed.map((instances, i) => {
        const sum = instances.reduce((total, instance) => total.plus(instance.resources), Resource.EMPTY);
        return { id: i + 1, instances, required: cappedRequirement(i + 1, sum, padding, caps, { topology: topology.name, hint }) };
      }),
    );
  }
}

/** RAM the component states; components that state none sort last. */
function explicitRam(component: ComponentDefinition): number {
  return component.resources.ram ?? 0;
}

/** `topology.stmgrs`, when every container can get at least one instance. */
function containerCount(topology: TopologyDefinition, settings: TopologyConfig, components: readonly ComponentDefinition[]): number {
  const instances = components.reduce((sum, component) => sum + component.parallelism, 0);
  // readTopologyConfig already guarantees at least 1.
  const count = settings.stmgrs;
  if (count > instances) {
    throw new PackingError(
      `cannot pack topology '${topology.name}': ${TopologyConfigKeys.STMGRS} asks for ${count} containers but the topology has only ` +
        `${instances} instance${instances === 1 ? '' : 's'}, and every container needs at least one; set ${TopologyConfigKeys.STMGRS} to ${instances} or fewer`,
      { code: 'PACKING_INVALID_CONFIG' },
    );
  }
  return count;
}
