import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { GiB, MiB } from '../../api/byte-amount.js';
import { readTopologyConfig } from '../../api/topology-config.js';
import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { PackingError } from '../spi/packing.js';
import { componentCounts, instancesOf, type PackingPlan } from '../spi/packing-plan.js';
import type { Repacking } from '../spi/repacking.js';
import { containerLimitsOf, instanceFitProblem, type ContainerLimits } from './container-limits.js';
import { defaultInstanceResource, instanceResourceConfigShape, instanceResourcesOf } from './instance-resources.js';
import { assertPlanKeepsInvariants, component, topology } from './packing-test-fixtures.js';

// Test support for the property tests of the capacity-aware packers: random topologies and changes, and the promises
// every pack and repack keeps. Instances get the default resources (1 core, 1 GiB, 1 GiB) where a component states none.

const config = z.object({ ...instanceResourceConfigShape }).parse({});

/** Random topologies: 1-5 components of 1-12 instances asking 0.25-3 cores, 192 MiB-4 GiB, 0-2 GiB; random limits. */
export const randomTopology = fc
  .record({
    components: fc.array(
      fc.record({
        spout: fc.boolean(),
        parallelism: fc.integer({ min: 1, max: 12 }),
        cpu: fc.option(fc.integer({ min: 1, max: 12 }).map((q) => q / 4)),
        ram: fc.option(fc.integer({ min: 3, max: 64 }).map((n) => n * 64 * MiB)),
        disk: fc.option(fc.integer({ min: 0, max: 8 }).map((n) => n * 256 * MiB)),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    maxInstances: fc.option(fc.integer({ min: 1, max: 8 })),
    cpu: fc.option(fc.integer({ min: 2, max: 16 })),
    ram: fc.option(fc.integer({ min: 2, max: 16 }).map((n) => n * GiB)),
    padding: fc.option(fc.integer({ min: 0, max: 30 })),
    strategy: fc.constantFrom('RAM_FIRST', 'CPU_FIRST'),
    stmgrs: fc.integer({ min: 1, max: 8 }),
  })
  .map(({ components, maxInstances, cpu, ram, padding, strategy, stmgrs }) =>
    topology(
      components.map((c, i) => component(c.spout ? 'spout' : 'bolt', `c${i}`, c.parallelism, { ...(c.cpu === null ? {} : { cpu: c.cpu }), ...(c.ram === null ? {} : { ram: c.ram }), ...(c.disk === null ? {} : { disk: c.disk }) })),
      {
        'topology.stmgrs': stmgrs,
        'topology.packing.ffd.sorting.strategy': strategy,
        ...(maxInstances === null ? {} : { 'topology.container.max.instances': maxInstances }),
        ...(cpu === null ? {} : { 'topology.container.cpu': cpu }),
        ...(ram === null ? {} : { 'topology.container.ram': ram }),
        ...(padding === null ? {} : { 'topology.container.padding.percentage': padding }),
      },
    ),
  );

/** Random changes to a topology's components: each between −(n − 1) and +6. */
export function randomChanges(t: TopologyDefinition): fc.Arbitrary<Map<string, number>> {
  return fc.tuple(...componentsOf(t).map((c) => fc.integer({ min: 1 - c.parallelism, max: 6 }))).map((deltas) => new Map(componentsOf(t).map((c, i) => [c.name, deltas[i] as number])));
}

/** The container limits of `t` under the default instance resources. */
export function limitsOf(t: TopologyDefinition): ContainerLimits {
  return containerLimitsOf(readTopologyConfig(t.config), defaultInstanceResource(config));
}

/** Packs with `pack`, or checks that the failure is the one allowed: an instance that fits no empty container. */
export function packOrExplain(t: TopologyDefinition, pack: (t: TopologyDefinition) => PackingPlan): PackingPlan | undefined {
  try {
    return pack(t);
  } catch (error) {
    assert.ok(error instanceof PackingError && error.code === 'PACKING_INSUFFICIENT_RESOURCES', String(error));
    const limits = limitsOf(t);
    assert.ok([...instanceResourcesOf(t, config)].some(([name, r]) => instanceFitProblem(name, r, limits) !== undefined), error.message);
    return undefined;
  }
}

/** Checks what every repack promises: counts, untouched instances in place, new ids above the plan's, capacity. */
export function assertRepackKeepsPromises(t: TopologyDefinition, before: PackingPlan, after: PackingPlan, changes: ReadonlyMap<string, number>): void {
  const counts = new Map([...componentCounts(before)].map(([name, n]) => [name, n + (changes.get(name) ?? 0)]));
  assertPlanKeepsInvariants(t, after, limitsOf(t), counts);
  const where = new Map(after.containers.flatMap((c) => c.instances.map((i) => [i.taskId, { container: c.id, instance: i }] as const)));
  const highest = Math.max(...instancesOf(before).map((i) => i.taskId));
  for (const container of before.containers) {
    for (const instance of container.instances) {
      const now = where.get(instance.taskId);
      if (!now) continue; // removed by the scale-down
      assert.equal(now.container, container.id, `task ${instance.taskId} stays in container ${container.id}`);
      assert.deepEqual(now.instance, instance);
    }
  }
  for (const [taskId, { instance }] of where) {
    if (!instancesOf(before).some((i) => i.taskId === taskId)) assert.ok(taskId > highest && (changes.get(instance.component) ?? 0) > 0, `new task ${taskId}`);
  }
  for (const [name, delta] of changes) {
    const kept = instancesOf(before).filter((i) => i.component === name && where.has(i.taskId)).length;
    assert.equal(kept, (componentCounts(before).get(name) ?? 0) + Math.min(0, delta), `${name} loses only what it must`);
  }
}

/** A random topology with two random sets of changes for it. */
export const randomScenario = randomTopology.chain((t) => fc.tuple(fc.constant(t), randomChanges(t), randomChanges(t)));

/**
 * Repacks `plan` with `mixed` changes, then scales the result down by the negative part of `second` and back up by
 * its positive part, checking after each step what every repack promises.
 */
export function assertRepacksKeepPromises(t: TopologyDefinition, plan: PackingPlan, repacking: Repacking, mixed: ReadonlyMap<string, number>, second: ReadonlyMap<string, number>): void {
  const once = repacking.repack(t, plan, mixed);
  assertRepackKeepsPromises(t, plan, once, mixed);
  const counts = componentCounts(once);
  const down = new Map([...second].map(([name, d]) => [name, Math.max(Math.min(d, 0), 1 - (counts.get(name) ?? 0))]));
  const shrunk = repacking.repack(t, once, down);
  assertRepackKeepsPromises(t, once, shrunk, down);
  const up = new Map([...second].map(([name, d]) => [name, Math.max(d, 0)]));
  assertRepackKeepsPromises(t, shrunk, repacking.repack(t, shrunk, up), up);
}
