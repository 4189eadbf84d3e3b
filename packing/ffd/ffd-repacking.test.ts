import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB } from '../../api/byte-amount.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { classicTopology, failsWith, placements } from '../../core/packing/packing-test-fixtures.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { RepackingError } from '../../core/spi/repacking.js';
import { Resource } from '../../core/spi/resource.js';
import { ffdConfigSchema } from './ffd-config.js';
import { FfdPacking } from './ffd-packing.js';
import { FfdRepacking } from './ffd-repacking.js';

const config = ffdConfigSchema.parse({});

function repack(t: TopologyDefinition, current: PackingPlan, changes: Record<string, number>): PackingPlan {
  return new FfdRepacking(config).repack(t, current, new Map(Object.entries(changes)));
}

/** ffd's classic plan: { 1: spout#1 bolt#5, 2: spout#2 bolt#6, 3: spout#3 bolt#7, 4: spout#4 } (see ffd-packing.test). */
const classicPlan = () => new FfdPacking(config).pack(classicTopology());

describe('FfdRepacking', () => {
  it('scales the classic plan down, then up first fit, appending containers with new ids', () => {
    // spout −2, in ffd's order (spout before bolt): container 4 holds only spouts, so task 4 goes and container 4
    // with it; then 1-3 tie (2 instances, half spouts) and the highest id, 3, loses task 3.
    // bolt +2 (tasks 8, 9; indexes 3, 4): containers 1 and 2 have 1 core left, container 3 (one bolt) 1 core; a bolt
    // needs 2, so task 8 opens container 5 (above the plan's highest id, 4, which is not reused) and task 9 container 6.
    const plan = repack(classicTopology(), classicPlan(), { spout: -2, bolt: 2 });
    assert.deepEqual(placements(plan), {
      1: ['spout#1/0', 'bolt#5/0'],
      2: ['spout#2/1', 'bolt#6/1'],
      3: ['bolt#7/2'],
      5: ['bolt#8/3'],
      6: ['bolt#9/4'],
    });
    assert.equal(plan.id, 'test-topology');
    assert.deepEqual(plan.containers[2]?.required, new Resource(3, 2 * GiB, 2 * GiB));
  });

  it('scales the classic plan up into existing room first, in ffd order', () => {
    // spout +2 (tasks 8, 9): no container has 2 GiB left, so 5 and 6 open. bolt +1 (task 10) then fits beside the
    // lone spout of container 4 (3 cores, 3 GiB).
    assert.deepEqual(placements(repack(classicTopology(), classicPlan(), { spout: 2, bolt: 1 })), {
      1: ['spout#1/0', 'bolt#5/0'],
      2: ['spout#2/1', 'bolt#6/1'],
      3: ['spout#3/2', 'bolt#7/2'],
      4: ['spout#4/3', 'bolt#10/3'],
      5: ['spout#8/4'],
      6: ['spout#9/5'],
    });
  });

  it('keeps untouched containers as they were', () => {
    const current = classicPlan();
    const plan = repack(classicTopology(), current, { bolt: 1 });
    assert.deepEqual(plan.containers[0], current.containers[0]);
    assert.deepEqual(repack(classicTopology(), current, {}), current);
  });

  it('refuses unknown components, counts below 1, and instances that fit no empty container', () => {
    assert.throws(() => repack(classicTopology(), classicPlan(), { nope: 1 }), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'nope'"));
    assert.throws(() => repack(classicTopology(), classicPlan(), { bolt: -3 }), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'bolt'", 'leave none'));
    assert.throws(
      () => repack(classicTopology({ 'topology.container.cpu': 2.5 }), classicPlan(), { bolt: 1 }),
      failsWith(RepackingError, 'REPACKING_INSUFFICIENT_RESOURCES', "'bolt'", 'topology.container.cpu'),
    );
  });
});
