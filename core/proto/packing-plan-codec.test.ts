import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Long from 'long';
import { createPackingPlan, type PackingPlan } from '../spi/packing-plan.js';
import { Resource } from '../spi/resource.js';
import { packingPlanFromProto, packingPlanToProto, ProtoCodecError, ProtoPackingPlan } from './index.js';

const GiB = 2 ** 30;

const plan: PackingPlan = createPackingPlan('wc-1', [
  {
    id: 2,
    instances: [{ component: 'count', taskId: 3, componentIndex: 1, resources: new Resource(0.5, 2 * GiB, GiB) }],
    required: new Resource(1, 3 * GiB, 2 * GiB),
  },
  {
    id: 1,
    instances: [
      { component: 'words', taskId: 1, componentIndex: 0, resources: new Resource(1, 48 * GiB, 64 * GiB) },
      { component: 'count', taskId: 2, componentIndex: 0, resources: new Resource(0.5, 2 * GiB, GiB) },
    ],
    required: new Resource(2, 51 * GiB, 66 * GiB),
    scheduled: new Resource(4, 64 * GiB, 128 * GiB),
  },
  { id: 3, instances: [], required: new Resource(0, 0, 0) },
]);

function throughBytes(plan: PackingPlan): ProtoPackingPlan {
  return ProtoPackingPlan.decode(ProtoPackingPlan.encode(packingPlanToProto(plan)).finish());
}

describe('packing plan codec', () => {
  it('round-trips through bytes, scheduled resources and 64 GiB included', () => {
    assert.deepEqual(packingPlanFromProto(throughBytes(plan)), plan);
  });

  it('writes Heron fields: bytes as int64, scheduledResource only where known', () => {
    const proto = throughBytes(plan);
    assert.equal(proto.id, 'wc-1');
    const [one, two] = proto.containerPlans;
    assert.equal(one?.id, 1);
    assert.ok(Long.isLong(one?.requiredResource.ram));
    assert.equal(String(one?.scheduledResource?.ram), String(64 * GiB));
    assert.equal(String(one?.instancePlans?.[0]?.resource.disk), String(64 * GiB));
    assert.equal(one?.instancePlans?.[0]?.componentName, 'words');
    assert.equal(two?.scheduledResource, null);
  });

  it('accepts plain numbers as well as Longs', () => {
    assert.deepEqual(packingPlanFromProto(packingPlanToProto(plan)), plan);
  });

  it('names the container and instance of a resource too large for a safe integer', () => {
    const proto = throughBytes(plan);
    proto.containerPlans[1]!.instancePlans![0]!.resource.ram = Long.MAX_VALUE;
    assert.throws(
      () => packingPlanFromProto(proto),
      (e: unknown) => e instanceof ProtoCodecError && e.code === 'PROTO_MALFORMED' && /container 2 instance 'count' task 3: ram \(9223372036854775807\) is not a safe integer/.test(e.message),
    );
  });

  it('names the plan that breaks an invariant', () => {
    const proto = throughBytes(plan);
    proto.containerPlans[1]!.instancePlans![0]!.taskId = 1;
    assert.throws(() => packingPlanFromProto(proto), /packing plan 'wc-1': task id 1 appears twice/);
  });
});
