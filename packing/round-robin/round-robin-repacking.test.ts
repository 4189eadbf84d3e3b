import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Container } from 'inversify';
import { GiB } from '../../api/byte-amount.js';
import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { assertPlanKeepsInvariants, classicTopology, failsWith, placements } from '../../core/packing/packing-test-fixtures.js';
import { randomScenario } from '../../core/packing/packing-test-properties.js';
import { componentCounts, type PackingPlan } from '../../core/spi/packing-plan.js';
import { Repacking, RepackingError } from '../../core/spi/repacking.js';
import { Resource } from '../../core/spi/resource.js';
import { roundRobinPackingConfigSchema } from './round-robin-packing-config.js';
import { RoundRobinPacking } from './round-robin-packing.js';
import { RoundRobinRepacking } from './round-robin-repacking.js';
import { RoundRobinRepackingConfig } from './round-robin-repacking-config.js';
import { roundRobinRepackingPlugin } from './round-robin-repacking-plugin.js';

const config = roundRobinPackingConfigSchema.parse({});

function repack(t: TopologyDefinition, current: PackingPlan, changes: Record<string, number>): PackingPlan {
  return new RoundRobinRepacking(config).repack(t, current, new Map(Object.entries(changes)));
}

/** Round-robin's classic plan: 7 instances over topology.stmgrs = 2 containers. */
const classicPlan = () => new RoundRobinPacking(config).pack(classicTopology());

describe('RoundRobinRepacking', () => {
  it('packs the classic fixture afresh over more containers when it grows', () => {
    // spout 4 → 6: 9 instances at 7/2 per container need ceil(9 / 3.5) = 3 containers. Spouts (2 GiB stated) are
    // dealt first: tasks 1-6 over 1, 2, 3, 1, 2, 3; then bolts 7-9 over 1, 2, 3. Each container requires
    // 1 + 1 + 2 + 1 cores, 2 + 2 + 1 + 2 GiB RAM and 3 + 12 GiB disk.
    const plan = repack(classicTopology(), classicPlan(), { spout: 2 });
    assert.deepEqual(placements(plan), {
      1: ['spout#1/0', 'spout#4/3', 'bolt#7/0'],
      2: ['spout#2/1', 'spout#5/4', 'bolt#8/1'],
      3: ['spout#3/2', 'spout#6/5', 'bolt#9/2'],
    });
    assert.deepEqual(plan.containers.map((c) => c.required), Array(3).fill(new Resource(5, 7 * GiB, 15 * GiB)));
  });

  it('packs the classic fixture afresh over fewer containers when it shrinks', () => {
    // spout 4 → 1: ceil(4 / 3.5) = 2 containers. Spout task 1 into 1, bolts 2, 3, 4 into 2, 1, 2.
    const plan = repack(classicTopology(), classicPlan(), { spout: -3 });
    assert.deepEqual(placements(plan), { 1: ['spout#1/0', 'bolt#3/1'], 2: ['bolt#2/0', 'bolt#4/2'] });
    assert.deepEqual(plan.containers.map((c) => c.required), [new Resource(4, 5 * GiB, 14 * GiB), new Resource(5, 4 * GiB, 14 * GiB)]);
  });

  it('keeps the id of the plan it repacks', () => {
    const current = classicPlan();
    assert.equal(repack(classicTopology({ 'topology.stmgrs': 1 }), current, { bolt: 1 }).id, current.id);
  });

  it('refuses unknown components and counts below 1, and reports a container over a cap', () => {
    assert.throws(() => repack(classicTopology(), classicPlan(), { nope: 1 }), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'nope'"));
    assert.throws(() => repack(classicTopology(), classicPlan(), { bolt: -3 }), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'bolt'"));
    // Three containers of two spouts and a bolt: 5 GiB of instances each, over a 4 GiB cap.
    assert.throws(
      () => repack(classicTopology({ 'topology.container.ram': '4GiB' }), classicPlan(), { spout: 2 }),
      failsWith(RepackingError, 'REPACKING_INSUFFICIENT_RESOURCES', "cannot repack topology 'test-topology'", 'container 1', 'topology.container.ram'),
    );
  });

  it('places every instance once, in as many containers as the ratio gives (property)', () => {
    fc.assert(
      fc.property(randomScenario, ([capped, changes]) => {
        // Round-robin fails on caps and on more containers than instances: keep to topologies it can pack.
        const total = componentsOf(capped).reduce((sum, c) => sum + c.parallelism, 0);
        const t = { ...capped, config: { 'topology.stmgrs': Math.min(Number(capped.config['topology.stmgrs']), total) } };
        const current = new RoundRobinPacking(config).pack(t);
        const plan = repack(t, current, Object.fromEntries(changes));
        const counts = new Map([...componentCounts(current)].map(([name, n]) => [name, n + (changes.get(name) ?? 0)]));
        assertPlanKeepsInvariants(t, plan, undefined, counts);
        const before = [...componentCounts(current).values()].reduce((a, b) => a + b, 0);
        const after = [...counts.values()].reduce((a, b) => a + b, 0);
        assert.equal(plan.containers.length, Math.ceil((after * current.containers.length) / before));
      }),
    );
  });
});

describe('the round-robin repacking plugin', () => {
  it('loads into an inversify container as the repacking plugin named round-robin', async () => {
    const container = new Container();
    container.bind(RoundRobinRepackingConfig).toConstantValue(roundRobinRepackingPlugin.configSchema.parse({}));
    await container.load(roundRobinRepackingPlugin.module);
    assert.ok(container.get<Repacking>(Repacking) instanceof RoundRobinRepacking);
    assert.deepEqual([roundRobinRepackingPlugin.family, roundRobinRepackingPlugin.name], ['repacking', 'round-robin']);
  });
});
