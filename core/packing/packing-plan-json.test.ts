import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB } from '../../api/byte-amount.js';
import { createPackingPlan, type PackingPlan } from '../spi/packing-plan.js';
import { Resource } from '../spi/resource.js';
import { PackingPlanJsonError, packingPlanFromJson, packingPlanToJson } from './packing-plan-json.js';

const one = new Resource(1, GiB, GiB);

function smallPlan(): PackingPlan {
  return createPackingPlan('wordcount', [
    { id: 2, instances: [{ component: 'bolt', taskId: 2, componentIndex: 0, resources: one }], required: new Resource(2, 3 * GiB, 13 * GiB), scheduled: new Resource(4, 4 * GiB, 16 * GiB) },
    {
      id: 1,
      instances: [
        { component: 'bolt', taskId: 3, componentIndex: 1, resources: one },
        { component: 'spout', taskId: 1, componentIndex: 0, resources: new Resource(0.5, 2 * GiB, GiB) },
      ],
      required: new Resource(2.5, 5 * GiB, 14 * GiB),
    },
  ]);
}

function jsonError(...fragments: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof PackingPlanJsonError, `expected a PackingPlanJsonError, got ${String(error)}`);
    assert.equal(error.code, 'PACKING_PLAN_JSON_INVALID');
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `'${error.message}' should mention '${fragment}'`);
    return true;
  };
}

describe('the packing plan JSON form', () => {
  it('has the documented shape: containers by id, instances by task id, bytes, scheduled only when present', () => {
    assert.equal(
      JSON.stringify(packingPlanToJson(smallPlan(), 'round-robin')),
      '{"algorithm":"round-robin","containers":[' +
        '{"id":1,"required":{"cpu":2.5,"ram":5368709120,"disk":15032385536},"instances":[' +
        '{"component":"spout","taskId":1,"componentIndex":0,"resources":{"cpu":0.5,"ram":2147483648,"disk":1073741824}},' +
        '{"component":"bolt","taskId":3,"componentIndex":1,"resources":{"cpu":1,"ram":1073741824,"disk":1073741824}}]},' +
        '{"id":2,"required":{"cpu":2,"ram":3221225472,"disk":13958643712},"scheduled":{"cpu":4,"ram":4294967296,"disk":17179869184},"instances":[' +
        '{"component":"bolt","taskId":2,"componentIndex":0,"resources":{"cpu":1,"ram":1073741824,"disk":1073741824}}]}]}',
    );
  });

  it('reads back what it writes', () => {
    const text = JSON.stringify(packingPlanToJson(smallPlan(), 'ffd'));
    const { plan, algorithm } = packingPlanFromJson(JSON.parse(text), 'plan.json', 'wordcount');
    assert.equal(algorithm, 'ffd');
    assert.deepEqual(plan, smallPlan());
    assert.equal(JSON.stringify(packingPlanToJson(plan, algorithm)), text);
  });

  it('names the source, the path and the expectation of every fault', () => {
    const doc = packingPlanToJson(smallPlan(), 'round-robin') as unknown as { containers: Array<Record<string, unknown> & { instances: Array<Record<string, unknown>> }> };
    const [first, second] = doc.containers;
    (first as Record<string, unknown>)['colour'] = 'red';
    (first?.instances[1] as Record<string, unknown>)['taskId'] = 0;
    (second as Record<string, unknown>)['required'] = { cpu: 1, ram: '3GiB', disk: 1 };
    assert.throws(
      () => packingPlanFromJson(doc, 'plan.json', 'wordcount'),
      jsonError(
        'plan.json: not a packing plan:',
        "containers[0]: unknown key 'colour' (a container has id, required, scheduled, instances)",
        'containers[0].instances[1].taskId: expected a whole number >= 1',
        'containers[1].required.ram: expected a whole number of bytes >= 0',
      ),
    );
  });

  it('rejects documents that are not plans at all', () => {
    assert.throws(() => packingPlanFromJson('{}', 'plan.json', 'p'), jsonError('plan.json: not a packing plan: (document): expected a packing plan, an object with algorithm, containers'));
    assert.throws(() => packingPlanFromJson({ algorithm: 'Round Robin', containers: [] }, 'x', 'p'), jsonError('algorithm: expected a kebab-case packing algorithm name', 'containers: expected at least one container'));
  });

  it('rejects a plan that breaks an invariant', () => {
    const doc = packingPlanToJson(smallPlan(), 'round-robin');
    const broken = { ...doc, containers: doc.containers.map((c) => ({ ...c, instances: c.instances.map((i) => ({ ...i, taskId: 7 })) })) };
    assert.throws(() => packingPlanFromJson(broken, 'plan.json', 'p'), jsonError('plan.json: not a valid packing plan: task id 7 appears twice'));
  });
});
