import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB } from '../../api/byte-amount.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { classicTopology, failsWith, placements } from '../../core/packing/packing-test-fixtures.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { RepackingError } from '../../core/spi/repacking.js';
import { Resource } from '../../core/spi/resource.js';
import { balancedConfigSchema } from './balanced-config.js';
import { BalancedPacking } from './balanced-packing.js';
import { BalancedRepacking } from './balanced-repacking.js';

const config = balancedConfigSchema.parse({});

function repack(t: TopologyDefinition, current: PackingPlan, changes: Record<string, number>): PackingPlan {
  return new BalancedRepacking(config).repack(t, current, new Map(Object.entries(changes)));
}

/** The balanced classic plan: { 1: spout#1 bolt#2, 2: spout#3 bolt#4, 3: spout#5 bolt#6, 4: spout#7 }. */
const classicPlan = () => new BalancedPacking(config).pack(classicTopology());

describe('BalancedRepacking', () => {
  it('scales the classic plan down from the emptiest containers, then opens new ones where no room is left', () => {
    // spout −2 (declaration order: spouts first): container 4 holds nothing but a spout, so task 7 goes and the
    // container with it; 1-3 then tie and the highest id, 3, gives up task 5.
    // bolt +2 (tasks 8, 9, indexes 3, 4): 1 and 2 are full in cpu, 3 has 1 core of the 2 a bolt needs, so each new
    // bolt opens a container, numbered above the plan's highest id (4, not reused).
    const plan = repack(classicTopology(), classicPlan(), { spout: -2, bolt: 2 });
    assert.deepEqual(placements(plan), {
      1: ['spout#1/0', 'bolt#2/0'],
      2: ['spout#3/1', 'bolt#4/1'],
      3: ['bolt#6/2'],
      5: ['bolt#8/3'],
      6: ['bolt#9/4'],
    });
    assert.deepEqual(plan.containers[2]?.required, new Resource(3, 2 * GiB, 2 * GiB));
  });

  it('fills the room left in existing containers before opening new ones, numbering in placement order', () => {
    // spout +1, bolt +1: only container 4 (one spout: 1 core, 2 GiB) has room, and only for a bolt, which goes
    // there first and so gets task 8; the new spout then opens container 5 with task 9.
    assert.deepEqual(placements(repack(classicTopology(), classicPlan(), { spout: 1, bolt: 1 })), {
      1: ['spout#1/0', 'bolt#2/0'],
      2: ['spout#3/1', 'bolt#4/1'],
      3: ['spout#5/2', 'bolt#6/2'],
      4: ['spout#7/3', 'bolt#8/3'],
      5: ['spout#9/4'],
    });
  });

  it('keeps untouched containers exactly as they were', () => {
    const current = classicPlan();
    const plan = repack(classicTopology(), current, { bolt: 1 });
    assert.deepEqual(plan.containers.slice(0, 3), current.containers.slice(0, 3));
    assert.deepEqual(plan.containers[3]?.required, new Resource(4, 4 * GiB, 3 * GiB));
    assert.deepEqual(repack(classicTopology(), current, {}), current);
  });

  it('continues task ids above the highest of the plan, not reusing those the scale-down freed', () => {
    // bolt −2: containers 1-3 tie (a spout and a bolt each), so 3 and then 2 give up their bolts (tasks 6 and 4).
    // spout +1: a spout needs 2 GiB and every container has 1 GiB left, so it opens container 5 with task 8.
    assert.deepEqual(placements(repack(classicTopology(), classicPlan(), { bolt: -2, spout: 1 })), {
      1: ['spout#1/0', 'bolt#2/0'],
      2: ['spout#3/1'],
      3: ['spout#5/2'],
      4: ['spout#7/3'],
      5: ['spout#8/4'],
    });
  });

  it('refuses unknown components, counts below 1, and new instances that fit no empty container', () => {
    assert.throws(() => repack(classicTopology(), classicPlan(), { sink: 2 }), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'sink'"));
    assert.throws(() => repack(classicTopology(), classicPlan(), { spout: -4 }), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'spout'"));
    // 2.5 GiB of RAM less 1 GiB of padding leaves 1.5 GiB, short of a spout's 2 GiB.
    assert.throws(
      () => repack(classicTopology({ 'topology.container.ram': '2.5GiB' }), classicPlan(), { spout: 1 }),
      failsWith(RepackingError, 'REPACKING_INSUFFICIENT_RESOURCES', "'spout'", 'topology.container.ram'),
    );
  });
});
