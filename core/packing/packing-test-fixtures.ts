import assert from 'node:assert/strict';
import { GiB } from '../../api/byte-amount.js';
import type { ConfigMap } from '../../api/config-value.js';
import { componentsOf, type ComponentDefinition, type ResourceRequest, type TopologyDefinition } from '../../api/topology-definition.js';
import type { EgretError } from '../errors.js';
import { instanceResources, instancesOf, type PackingPlan } from '../spi/packing-plan.js';
import type { ContainerLimits } from './container-limits.js';

// Test support for the packing algorithms' tests (here and under packing/): topologies, a readable form of plans,
// error matchers and the invariants every capacity-aware plan keeps. Not used by Egret itself.

/** A spout or bolt with the given parallelism and stated resources, and nothing else. */
export function component(kind: 'spout' | 'bolt', name: string, parallelism: number, resources: ResourceRequest = {}): ComponentDefinition {
  const base = { name, parallelism, resources, outputs: [], config: {} };
  return kind === 'spout' ? { kind, ...base } : { kind, ...base, inputs: [] };
}

/** A topology named `test-topology` of `components` (spouts and bolts each keep their order) and `config`. */
export function topology(components: readonly ComponentDefinition[], config: ConfigMap = {}): TopologyDefinition {
  return {
    name: 'test-topology',
    spouts: components.filter((c) => c.kind === 'spout'),
    bolts: components.filter((c) => c.kind === 'bolt'),
    config,
  };
}

/**
 * The classic fixture of the packing issue: spout ×4 asking 2 GiB RAM, bolt ×3 asking 2 cores (the rest default:
 * 1 core, 1 GiB RAM, 1 GiB disk), `topology.stmgrs` 2, `topology.container.max.instances` 4.
 */
export function classicTopology(config: ConfigMap = {}): TopologyDefinition {
  return topology([component('spout', 'spout', 4, { ram: 2 * GiB }), component('bolt', 'bolt', 3, { cpu: 2 })], {
    'topology.stmgrs': 2,
    'topology.container.max.instances': 4,
    ...config,
  });
}

/** The plan as container id → its instances as `component#taskId/componentIndex`, in task order. */
export function placements(plan: PackingPlan): Record<number, string[]> {
  return Object.fromEntries(plan.containers.map((c) => [c.id, c.instances.map((i) => `${i.component}#${i.taskId}/${i.componentIndex}`)]));
}

/** An `assert.throws` matcher: an error of `type` with `code` whose message mentions every fragment. */
export function failsWith(type: abstract new (...args: never[]) => EgretError, code: string, ...fragments: string[]) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof type, `expected a ${type.name}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `'${error.message}' should mention '${fragment}'`);
    return true;
  };
}

/**
 * Asserts that `plan` places every instance of `topology` exactly once (each component's indexes 0..n-1, task ids
 * unique; `counts` overrides the topology's parallelism) and, given `limits`, that no container holds more than a
 * container may: instances within the usable resources and the instance limit, required within the capacity.
 */
export function assertPlanKeepsInvariants(topology: TopologyDefinition, plan: PackingPlan, limits?: ContainerLimits, counts?: ReadonlyMap<string, number>): void {
  const instances = instancesOf(plan);
  assert.equal(new Set(instances.map((i) => i.taskId)).size, instances.length, 'task ids are unique');
  for (const c of componentsOf(topology)) {
    const indexes = instances.filter((i) => i.component === c.name).map((i) => i.componentIndex).sort((a, b) => a - b);
    const count = counts?.get(c.name) ?? c.parallelism;
    assert.equal(indexes.length, count, `instances of ${c.name}`);
    assert.equal(new Set(indexes).size, count, `indexes of ${c.name} are unique`);
  }
  assert.equal(instances.length, componentsOf(topology).reduce((sum, c) => sum + (counts?.get(c.name) ?? c.parallelism), 0), 'no stray instance');
  if (!limits) return;
  for (const container of plan.containers) {
    assert.ok(container.instances.length > 0, `container ${container.id} is not empty`);
    assert.ok(container.instances.length <= limits.maxInstances, `container ${container.id} holds ${container.instances.length} > ${limits.maxInstances} instances`);
    assert.ok(instanceResources(container).fits(limits.usable), `container ${container.id}: ${instanceResources(container)} exceeds ${limits.usable}`);
    assert.ok(container.required.fits(limits.capacity), `container ${container.id} requires ${container.required}, over ${limits.capacity}`);
  }
}
