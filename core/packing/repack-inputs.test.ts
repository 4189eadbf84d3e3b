import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { GiB, MiB } from '../../api/byte-amount.js';
import { PackingError } from '../spi/packing.js';
import { createPackingPlan, type PackingPlan } from '../spi/packing-plan.js';
import { RepackingError } from '../spi/repacking.js';
import { Resource } from '../spi/resource.js';
import { InstanceNumbering } from './instance-numbering.js';
import { instanceResourceConfigShape } from './instance-resources.js';
import { classicTopology, component, failsWith, topology } from './packing-test-fixtures.js';
import { asRepacking, repackInputsOf } from './repack-inputs.js';

const config = z.object({ ...instanceResourceConfigShape }).parse({});
const ONE = new Resource(1, GiB, GiB);

/** Spout ×4 and bolt ×3, task ids 1..7, in one container. */
function classicPlan(): PackingPlan {
  const instances = [0, 1, 2, 3].map((i) => ({ component: 'spout', taskId: i + 1, componentIndex: i, resources: ONE }));
  instances.push(...[0, 1, 2].map((i) => ({ component: 'bolt', taskId: i + 5, componentIndex: i, resources: ONE })));
  return createPackingPlan('classic', [{ id: 1, instances, required: new Resource(8, 8 * GiB, 8 * GiB) }]);
}

describe('repackInputsOf', () => {
  it('keeps the non-zero changes and reads the limits', () => {
    const inputs = repackInputsOf(classicTopology(), classicPlan(), new Map([['spout', 0], ['bolt', 2]]), config);
    assert.deepEqual([...inputs.deltas], [['bolt', 2]]);
    assert.equal(inputs.limits.maxInstances, 4);
    assert.deepEqual(inputs.resources.get('spout'), new Resource(1, 2 * GiB, GiB));
  });

  it('refuses unknown components, counts below 1 and fractional changes', () => {
    const refuse = (changes: [string, number][], ...fragments: string[]) =>
      assert.throws(() => repackInputsOf(classicTopology(), classicPlan(), new Map(changes), config), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', ...fragments));
    refuse([['nope', 1]], "'nope' is not in the topology", 'spout, bolt');
    refuse([['bolt', -3]], "'bolt' has 3 instances; removing 3 would leave none");
    refuse([['bolt', 1.5]], 'whole number');
  });

  it('refuses a plan of other components than the topology’s', () => {
    const other = topology([component('spout', 'spout', 4), component('bolt', 'counter', 3)]);
    assert.throws(() => repackInputsOf(other, classicPlan(), new Map(), config), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "instances of 'bolt'"));
    const more = topology([component('spout', 'spout', 4), component('bolt', 'bolt', 3), component('bolt', 'sink', 1)]);
    assert.throws(() => repackInputsOf(more, classicPlan(), new Map(), config), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "no instance of 'sink'"));
  });

  it('refuses to grow a component whose instance fits no empty container, but not to shrink one', () => {
    const tight = classicTopology({ 'topology.container.ram': '2GiB' });
    assert.throws(() => repackInputsOf(tight, classicPlan(), new Map([['spout', 1]]), config), failsWith(RepackingError, 'REPACKING_INSUFFICIENT_RESOURCES', "cannot repack topology 'test-topology'", "'spout'"));
    assert.doesNotThrow(() => repackInputsOf(tight, classicPlan(), new Map([['spout', -1]]), config));
    const small = topology([component('spout', 'spout', 4, { ram: 100 * MiB }), component('bolt', 'bolt', 3)]);
    assert.throws(() => repackInputsOf(small, classicPlan(), new Map([['spout', 1]]), config), failsWith(RepackingError, 'REPACKING_INSUFFICIENT_RESOURCES', '192 MiB'));
  });

  it('turns a malformed topology key into a RepackingError that says repack', () => {
    assert.throws(() => repackInputsOf(classicTopology({ 'topology.container.ram': 'lots' }), classicPlan(), new Map(), config), failsWith(RepackingError, 'REPACKING_INVALID_CONFIG', 'topology.container.ram'));
    const error = new PackingError("cannot pack topology 't': no room", { code: 'PACKING_INSUFFICIENT_RESOURCES' });
    assert.throws(
      () =>
        asRepacking(() => {
          throw error;
        }),
      (thrown: unknown) => thrown instanceof RepackingError && thrown.code === 'REPACKING_INSUFFICIENT_RESOURCES' && thrown.message === "cannot repack topology 't': no room" && thrown.cause === error,
    );
  });
});

describe('InstanceNumbering', () => {
  it('numbers a new plan from task 1 and index 0, in the order asked', () => {
    const numbering = InstanceNumbering.fresh();
    assert.deepEqual([numbering.next('a', ONE), numbering.next('b', ONE), numbering.next('a', ONE)].map((i) => [i.taskId, i.componentIndex]), [[1, 0], [2, 0], [3, 1]]);
  });

  it('continues a plan above its highest task id and each component’s highest index', () => {
    const plan = createPackingPlan('p', [
      { id: 1, instances: [{ component: 'a', taskId: 9, componentIndex: 4, resources: ONE }, { component: 'b', taskId: 2, componentIndex: 0, resources: ONE }], required: ONE },
    ]);
    const numbering = InstanceNumbering.after(plan);
    assert.deepEqual([numbering.next('b', ONE), numbering.next('a', ONE), numbering.next('c', ONE)].map((i) => [i.component, i.taskId, i.componentIndex]), [
      ['b', 10, 1],
      ['a', 11, 5],
      ['c', 12, 0],
    ]);
  });
});
