import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB } from '../../api/byte-amount.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { classicTopology, component, failsWith, placements, topology } from '../../core/packing/packing-test-fixtures.js';
import { createPackingPlan, type PackingPlan } from '../../core/spi/packing-plan.js';
import { RepackingError } from '../../core/spi/repacking.js';
import { Resource } from '../../core/spi/resource.js';
import { resourceCompliantRrConfigSchema } from './resource-compliant-rr-config.js';
import { ResourceCompliantRrPacking } from './resource-compliant-rr-packing.js';
import { ResourceCompliantRrRepacking } from './resource-compliant-rr-repacking.js';

const config = resourceCompliantRrConfigSchema.parse({});
const ONE = new Resource(1, GiB, GiB);

function repack(t: TopologyDefinition, current: PackingPlan, changes: Record<string, number>): PackingPlan {
  return new ResourceCompliantRrRepacking(config).repack(t, current, new Map(Object.entries(changes)));
}

/** resource-compliant-rr's classic plan: { 1: spout#1 bolt#5, 2: spout#2 bolt#6, 3: spout#3 bolt#7, 4: spout#4 }. */
const classicPlan = () => new ResourceCompliantRrPacking(config).pack(classicTopology());

describe('ResourceCompliantRrRepacking', () => {
  it('scales the classic plan down and up, adding a container per failed attempt', () => {
    // Net change: +2 bolts (4 cores, 2 GiB, 2 GiB) − 1 spout (1 core, 2 GiB, 1 GiB) = 3 cores, 0, 1 GiB; over a
    // container's capacity (4 cores, 4 GiB, 4 GiB) that is 1 container to add first: 5. Scale-down: container 4 holds
    // only spouts, so task 4 goes, container 4 too, and the cursor moves to the container after it, 5. Task 8 (bolt
    // index 3) goes into 5; the cursor wraps to 1; task 9 fits none of 1, 2, 3 (1 core left) nor 5 (1 core left).
    // Again with 2 added containers: task 8 into 5, task 9 into 6.
    assert.deepEqual(placements(repack(classicTopology(), classicPlan(), { spout: -1, bolt: 2 })), {
      1: ['spout#1/0', 'bolt#5/0'],
      2: ['spout#2/1', 'bolt#6/1'],
      3: ['spout#3/2', 'bolt#7/2'],
      5: ['bolt#8/3'],
      6: ['bolt#9/4'],
    });
  });

  it('drops containers added for the net change that end up unused', () => {
    // +1 bolt: 2 cores over 4 adds container 5. From the cursor at container 1, task 8 first fits container 4
    // (beside the lone spout: 3 cores, 3 GiB), and container 5 stays empty.
    assert.deepEqual(placements(repack(classicTopology(), classicPlan(), { bolt: 1 })), {
      1: ['spout#1/0', 'bolt#5/0'],
      2: ['spout#2/1', 'bolt#6/1'],
      3: ['spout#3/2', 'bolt#7/2'],
      4: ['spout#4/3', 'bolt#8/3'],
    });
  });

  it('places new instances from the container after the last removal, wrapping around', () => {
    // Default resources, 10 per container. Net change: +2 − 1 instance = 1 GiB over 10 GiB: one container (4) is
    // added first. Removing a: container 2 holds only a, so task 2 goes with container 2, and the cursor moves to 3.
    // Task 6 fits 3, the cursor moves to 4; task 7 fits 4.
    const t = topology([component('spout', 'a', 3), component('bolt', 'b', 2)]);
    const plan = createPackingPlan('p', [
      { id: 1, instances: [{ component: 'a', taskId: 1, componentIndex: 0, resources: ONE }, { component: 'b', taskId: 4, componentIndex: 0, resources: ONE }], required: ONE },
      { id: 2, instances: [{ component: 'a', taskId: 2, componentIndex: 1, resources: ONE }], required: ONE },
      { id: 3, instances: [{ component: 'a', taskId: 3, componentIndex: 2, resources: ONE }, { component: 'b', taskId: 5, componentIndex: 1, resources: ONE }], required: ONE },
    ]);
    assert.deepEqual(placements(repack(t, plan, { a: -1, b: 2 })), { 1: ['a#1/0', 'b#4/0'], 3: ['a#3/2', 'b#5/1', 'b#6/2'], 4: ['b#7/3'] });
  });

  it('keeps untouched containers as they were', () => {
    const current = classicPlan();
    assert.deepEqual(repack(classicTopology(), current, {}), current);
    assert.deepEqual(repack(classicTopology(), current, { bolt: 1 }).containers.slice(0, 3), current.containers.slice(0, 3));
  });

  it('refuses unknown components, counts below 1, and instances that fit no empty container', () => {
    assert.throws(() => repack(classicTopology(), classicPlan(), { nope: 1 }), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'nope'"));
    assert.throws(() => repack(classicTopology(), classicPlan(), { spout: -4 }), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'spout'"));
    assert.throws(
      () => repack(classicTopology({ 'topology.container.ram': '2GiB' }), classicPlan(), { spout: 1 }),
      failsWith(RepackingError, 'REPACKING_INSUFFICIENT_RESOURCES', "'spout'", 'topology.container.ram'),
    );
  });
});
