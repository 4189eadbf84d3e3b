import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentCounts, createPackingPlan, InvalidPackingPlanError, maxContainerResources, totalRequired } from './packing-plan.js';
import { Resource } from './resource.js';

const one = new Resource(1, 100, 10);
const instance = (component: string, taskId: number, componentIndex: number) => ({ component, taskId, componentIndex, resources: one });

describe('createPackingPlan', () => {
  it('sorts containers by id and instances by task id, and answers questions about the plan', () => {
    const plan = createPackingPlan('t', [
      { id: 2, instances: [instance('b', 4, 1), instance('a', 2, 1)], required: new Resource(3, 300, 30) },
      { id: 1, instances: [instance('b', 3, 0), instance('a', 1, 0)], required: new Resource(2, 400, 20), scheduled: new Resource(4, 400, 20) },
    ]);
    assert.deepEqual(plan.containers.map((c) => c.id), [1, 2]);
    assert.deepEqual(plan.containers[0]?.instances.map((i) => i.taskId), [1, 3]);
    assert.deepEqual([...componentCounts(plan)], [['a', 2], ['b', 2]]);
    assert.deepEqual(maxContainerResources(plan).toJSON(), { cpu: 4, ram: 400, disk: 30 });
    assert.deepEqual(totalRequired(plan).toJSON(), { cpu: 5, ram: 700, disk: 50 });
    assert.throws(() => (plan.containers as unknown[]).push({}), TypeError);
  });

  it('refuses plans that break an invariant', () => {
    const c = (id: number, ...instances: ReturnType<typeof instance>[]) => ({ id, instances, required: one });
    assert.throws(() => createPackingPlan('t', [c(0, instance('a', 1, 0))]), InvalidPackingPlanError);
    assert.throws(() => createPackingPlan('t', [c(1, instance('a', 1, 0)), c(1, instance('a', 2, 1))]), /container id 1 appears twice/);
    assert.throws(() => createPackingPlan('t', [c(1, instance('a', 1, 0)), c(2, instance('b', 1, 0))]), /task id 1 appears twice/);
    assert.throws(() => createPackingPlan('t', [c(1, instance('a', 1, 0), instance('a', 2, 0))]), /'a' index 0 appears twice/);
    assert.throws(() => createPackingPlan('t', [c(1, instance('a', 0, 0))]), /task id 0/);
  });
});
