import type { TopologyConfig } from '../../api/topology-config.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import type { Resource } from '../spi/resource.js';
import { containerLimitsOf, type ContainerLimits } from './container-limits.js';
import { defaultInstanceResource, instanceResourcesOf, type InstanceResourceConfig } from './instance-resources.js';
import { readPackingTopologyConfig } from './packing-topology-config.js';

/** What the capacity-aware packers (ffd, resource-compliant-rr, balanced) work from, read once per call. */
export interface PackingInputs {
  /** The topology's typed `topology.*` keys. */
  readonly settings: TopologyConfig;
  /** What one instance of each component asks, keyed by component name in declaration order. */
  readonly resources: ReadonlyMap<string, Resource>;
  /** The capacity, padding and instance limit of every container. */
  readonly limits: ContainerLimits;
}

/**
 * Reads a topology's packing inputs under a plugin's validated instance-resource `config`. Called at the start of
 * every pack and repack. Throws PACKING_INVALID_CONFIG PackingError for a malformed `topology.*` key or a component
 * asking unusable resources; whether instances fit is left to the caller, who knows which ones it will place.
 */
export function packingInputsOf(topology: TopologyDefinition, config: InstanceResourceConfig): PackingInputs {
  const settings = readPackingTopologyConfig(topology);
  const resources = instanceResourcesOf(topology, config);
  return { settings, resources, limits: containerLimitsOf(settings, defaultInstanceResource(config)) };
}
