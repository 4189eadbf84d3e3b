import { formatBytes } from '../../api/byte-amount.js';
import { TopologyConfigKeys, type TopologyConfig } from '../../api/topology-config.js';
import { PackingError } from '../spi/packing.js';
import { Resource } from '../spi/resource.js';

type Dimension = 'cpu' | 'ram' | 'disk';

/** Per-dimension upper limits on what a container may require (`topology.container.{cpu,ram,disk}`); absent: no limit. */
export interface ContainerCaps {
  readonly cpu?: number;
  readonly ram?: number;
  readonly disk?: number;
}

const CAP_KEYS: Readonly<Record<Dimension, string>> = {
  cpu: TopologyConfigKeys.CONTAINER_CPU,
  ram: TopologyConfigKeys.CONTAINER_RAM,
  disk: TopologyConfigKeys.CONTAINER_DISK,
};

/** The caps a topology sets. */
export function containerCapsOf(config: TopologyConfig): ContainerCaps {
  return { cpu: config.containerCpu, ram: config.containerRam, disk: config.containerDisk };
}

/**
 * What a container requires: its instances' sum plus `padding`, lowered to the cap in each capped dimension
 * (padding is headroom for the stream manager and friends, so it gives way first).
 * Throws PACKING_INSUFFICIENT_RESOURCES {@link PackingError} when the instances alone exceed a cap, naming the
 * topology, the container, each dimension, both amounts and the key; `context.hint` ends the message with what the
 * user can change.
 */
export function cappedRequirement(
  containerId: number,
  instances: Resource,
  padding: Resource,
  caps: ContainerCaps,
  context: { readonly topology: string; readonly hint?: string },
): Resource {
  // An unset cap is the largest amount a Resource can hold, so that one comparison (with Resource's cpu tolerance) serves.
  const cap = new Resource(caps.cpu ?? Number.MAX_VALUE, caps.ram ?? Number.MAX_SAFE_INTEGER, caps.disk ?? Number.MAX_SAFE_INTEGER);
  const over = instances.exceeds(cap);
  if (over.length > 0) {
    const details = over.map((d) => `${d} ${format(d, instances[d])} > ${CAP_KEYS[d]} ${format(d, cap[d])}`).join(', ');
    throw new PackingError(`cannot pack topology '${context.topology}': the instances of container ${containerId} alone need more than a container may have: ${details}${context.hint ?? ''}`, {
      code: 'PACKING_INSUFFICIENT_RESOURCES',
    });
  }
  return instances.plus(padding).min(cap);
}

function format(dimension: Dimension, amount: number): string {
  return dimension === 'cpu' ? `${Number(amount.toFixed(3))} cores` : formatBytes(amount);
}
