import { GiB } from '../api/byte-amount.js';
import type { ConfigMap } from '../api/config-value.js';
import type { ComponentDefinition, ResourceRequest, TopologyDefinition } from '../api/topology-definition.js';
import { containersLowerBound } from '../core/packing/container-limits.js';
import type { InstanceResourceConfig } from '../core/packing/instance-resources.js';
import { packingInputsOf } from '../core/packing/packing-inputs.js';
import { Resource } from '../core/spi/resource.js';

/** Components per workload. */
export const WORKLOAD_COMPONENTS = 20;

/**
 * The container every workload packs into: 16 cores, 64 GiB RAM, 256 GiB disk, 20 instances, 10 % padding (ffd's
 * default). Sized so that cpu, RAM, disk and the instance limit can each be the one that binds.
 */
export const WORKLOAD_CONTAINER: ConfigMap = {
  'topology.container.cpu': 16,
  'topology.container.ram': 64 * GiB,
  'topology.container.disk': 256 * GiB,
  'topology.container.max.instances': 20,
};

/**
 * A seeded pseudo-random generator of numbers in [0, 1) (the mulberry32 construction): the same seed gives the same
 * sequence on every machine, so a benchmark or test run can be repeated exactly.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A random topology of `instances` instances over {@link WORKLOAD_COMPONENTS} components, reproducible from `seed`.
 * Components are cpu-heavy (2-6 cores, little RAM), RAM-heavy (4-12 GiB, under a core) or, less often, disk-heavy
 * (16-48 GiB of disk): the mix on which sorting by one dimension leaves the others idle. Every component gets at
 * least one instance, the rest shared out by random weights. Packs into {@link WORKLOAD_CONTAINER} plus `config`.
 */
export function packingWorkload(seed: number, instances: number, config: ConfigMap = {}): TopologyDefinition {
  if (instances < WORKLOAD_COMPONENTS) throw new RangeError(`a workload needs at least ${WORKLOAD_COMPONENTS} instances, got ${instances}`);
  const random = seededRandom(seed);
  const step = (low: number, high: number, by: number) => low + Math.floor(random() * ((high - low) / by + 1)) * by;
  const kinds = Array.from({ length: WORKLOAD_COMPONENTS }, () => {
    const kind = random();
    let resources: ResourceRequest;
    if (kind < 0.4) resources = { cpu: step(2, 6, 0.5), ram: step(0.5, 2, 0.25) * GiB, disk: step(1, 4, 1) * GiB };
    else if (kind < 0.8) resources = { cpu: step(0.25, 1, 0.25), ram: step(4, 12, 0.5) * GiB, disk: step(1, 4, 1) * GiB };
    else resources = { cpu: step(0.25, 1.5, 0.25), ram: step(0.5, 3, 0.5) * GiB, disk: step(16, 48, 4) * GiB };
    return { resources, weight: 0.2 + random() };
  });
  const parallelism = shareOut(instances, kinds.map((k) => k.weight));
  const components = kinds.map((kind, i): ComponentDefinition => {
    const base = { name: `c${String(i).padStart(2, '0')}`, parallelism: parallelism[i] as number, resources: kind.resources, outputs: [], config: {} };
    // The first few are spouts, so that declaration order (spouts, then bolts) is exercised too.
    return i < 4 ? { kind: 'spout', ...base } : { kind: 'bolt', ...base, inputs: [] };
  });
  return {
    name: `workload-${instances}-${seed}`,
    spouts: components.filter((c) => c.kind === 'spout'),
    bolts: components.filter((c) => c.kind === 'bolt'),
    config: { ...WORKLOAD_CONTAINER, ...config },
  };
}

/** `total` split into whole parts of at least 1, in proportion to `weights`, the remainder dealt from the first. */
function shareOut(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - weights.length;
  const parts = weights.map((w) => 1 + Math.floor((spare * w) / sum));
  let short = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; short > 0; i = (i + 1) % parts.length, short--) parts[i] = (parts[i] as number) + 1;
  return parts;
}

/**
 * The fewest containers any capacity-aware packer could use for `topology`: per dimension (cpu, RAM, disk, instance
 * count) the total demand over what one container may use, rounded up, the largest of these.
 */
export function containersNeededAtLeast(topology: TopologyDefinition, config: InstanceResourceConfig): number {
  const { resources, limits } = packingInputsOf(topology, config);
  let demand = Resource.EMPTY;
  let instances = 0;
  for (const component of [...topology.spouts, ...topology.bolts]) {
    demand = demand.plus((resources.get(component.name) as Resource).multiply(component.parallelism));
    instances += component.parallelism;
  }
  return containersLowerBound(demand, instances, limits);
}
