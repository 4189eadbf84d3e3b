import { GiB, MiB } from '../../api/byte-amount.js';
import { TopologyConfigKeys, type TopologyConfig } from '../../api/topology-config.js';
import { PackingError } from '../spi/packing.js';
import { Resource } from '../spi/resource.js';

/** Instances per container when `topology.container.max.instances` is unset. */
export const DEFAULT_MAX_INSTANCES = 10;
/** Padding per container when `topology.container.padding.percentage` is unset. */
export const DEFAULT_PADDING_PERCENTAGE = 10;
/** The fixed padding floor per dimension: room for the stream manager and metrics manager. */
export const MIN_PADDING = new Resource(1, GiB, GiB);
/** Cores are compared with this tolerance (as Resource.fits does), so that 0.1 + 0.2 cores still fit 0.3. */
export const CPU_TOLERANCE = 1e-9;
/** The least RAM an instance may ask for under the capacity-aware packers. */
export const MIN_INSTANCE_RAM = 192 * MiB;

/**
 * What one container may hold under the capacity-aware packers (ffd, resource-compliant-rr, balanced):
 * its capacity, the padding reserved in it, and the most instances it may take.
 */
export interface ContainerLimits {
  /** `topology.container.{cpu,ram,disk}`, or the default instance resource × maxInstances. */
  readonly capacity: Resource;
  /** Per dimension, the larger of {@link MIN_PADDING} and `topology.container.padding.percentage` of capacity. */
  readonly padding: Resource;
  /** What instances may use: capacity − padding (a dimension may be negative when the padding does not fit). */
  readonly usable: Resource;
  readonly maxInstances: number;
}

/** The limits a topology's config sets, given the default resources of one instance. */
export function containerLimitsOf(settings: TopologyConfig, instanceDefault: Resource): ContainerLimits {
  const maxInstances = settings.containerMaxInstances ?? DEFAULT_MAX_INSTANCES;
  const capacity = new Resource(
    settings.containerCpu ?? instanceDefault.cpu * maxInstances,
    settings.containerRam ?? instanceDefault.ram * maxInstances,
    settings.containerDisk ?? instanceDefault.disk * maxInstances,
  );
  const share = (settings.containerPaddingPercentage ?? DEFAULT_PADDING_PERCENTAGE) / 100;
  const padding = new Resource(
    Math.max(MIN_PADDING.cpu, capacity.cpu * share),
    Math.max(MIN_PADDING.ram, Math.round(capacity.ram * share)),
    Math.max(MIN_PADDING.disk, Math.round(capacity.disk * share)),
  );
  return { capacity, padding, usable: capacity.subtract(padding), maxInstances };
}

/**
 * Why one instance of `component`, asking `resource`, can go into no container under `limits` (it asks less than
 * {@link MIN_INSTANCE_RAM}, or more than an empty container's usable resources), or undefined when it can.
 * A sentence without a subject's topology, so that packing and repacking can each put it in their own error.
 */
export function instanceFitProblem(component: string, resource: Resource, limits: ContainerLimits): string | undefined {
  if (resource.ram < MIN_INSTANCE_RAM) {
    return `component '${component}' asks for ${resource.ram} bytes of RAM per instance; instances need at least 192 MiB`;
  }
  const over = resource.exceeds(limits.usable);
  if (over.length === 0) return undefined;
  const keys = { cpu: TopologyConfigKeys.CONTAINER_CPU, ram: TopologyConfigKeys.CONTAINER_RAM, disk: TopologyConfigKeys.CONTAINER_DISK };
  return (
    `an instance of '${component}' (${resource}) does not fit an empty container, ` +
    `whose capacity is ${limits.capacity} with ${limits.padding} kept as padding; ${over.map((d) => keys[d]).join(' and ')} must be larger`
  );
}

/**
 * Checks that every component's instance can go into an empty container and asks for at least
 * {@link MIN_INSTANCE_RAM}; throws PACKING_INSUFFICIENT_RESOURCES naming the first component that cannot and why.
 */
export function assertInstancesFit(topology: string, resources: ReadonlyMap<string, Resource>, limits: ContainerLimits): void {
  for (const [component, resource] of resources) {
    const problem = instanceFitProblem(component, resource, limits);
    if (problem !== undefined) throw new PackingError(`cannot pack topology '${topology}': ${problem}`, { code: 'PACKING_INSUFFICIENT_RESOURCES' });
  }
}

/**
 * The fewest containers that could hold `instances` instances asking `demand` in total under `limits`: per
 * dimension (the instance limit included) the total over what one container may use, rounded up; 0 for no demand.
 * A true lower bound, never above the real need: packers start their search there and benchmarks compare with it.
 * Infinity when a dimension with demand has no usable room at all ({@link assertInstancesFit} rules that out first).
 */
export function containersLowerBound(demand: Resource, instances: number, limits: ContainerLimits): number {
  // Rounding a hair down keeps a quotient that floating point lifted just above a whole number from adding one.
  const ratio = (need: number, room: number) => (need <= 0 ? 0 : room <= 0 ? Number.POSITIVE_INFINITY : Math.ceil(need / room - 1e-9));
  return Math.max(
    ratio(demand.cpu, limits.usable.cpu + CPU_TOLERANCE),
    ratio(demand.ram, limits.usable.ram),
    ratio(demand.disk, limits.usable.disk),
    ratio(instances, limits.maxInstances),
  );
}

/**
 * What a container requires: the sum of its instances plus padding, with cpu rounded up to whole cores (never above
 * the capacity, which may itself be fractional).
 */
export function requiredOf(instances: Resource, limits: ContainerLimits): Resource {
  const total = instances.plus(limits.padding);
  return new Resource(Math.min(Math.ceil(total.cpu - 1e-9), Math.max(total.cpu, limits.capacity.cpu)), total.ram, total.disk);
}
