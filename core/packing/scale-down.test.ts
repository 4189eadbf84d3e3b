import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GiB } from '../../api/byte-amount.js';
import { createPackingPlan, type InstancePlan, type PackingPlan } from '../spi/packing-plan.js';
import { RepackingError } from '../spi/repacking.js';
import { Resource } from '../spi/resource.js';
import { containerLimitsOf } from './container-limits.js';
import { failsWith, placements } from './packing-test-fixtures.js';
import { scaleDown } from './scale-down.js';

const ONE = new Resource(1, GiB, GiB);

/** A plan from `{ id: 'a a b' }`: task ids in the order written, each component's indexes from 0. */
function planOf(layout: Record<number, string>): PackingPlan {
  let taskId = 1;
  const indexes = new Map<string, number>();
  return createPackingPlan(
    'p',
    Object.entries(layout).map(([id, components]) => ({
      id: Number(id),
      required: new Resource(9, 9 * GiB, 9 * GiB),
      instances: components
        .split(' ')
        .filter(Boolean)
        .map((component): InstancePlan => {
          const componentIndex = indexes.get(component) ?? 0;
          indexes.set(component, componentIndex + 1);
          return { component, taskId: taskId++, componentIndex, resources: ONE };
        }),
    })),
  );
}

/** The plan left after scaling down, as `placements` shows it. */
function after(plan: PackingPlan, deltas: Record<string, number>, order: string[]): Record<number, string[]> {
  const { containers } = scaleDown(plan, new Map(Object.entries(deltas)), order);
  const limits = containerLimitsOf({ containerMaxInstances: 10 } as never, ONE);
  return placements(createPackingPlan('p', containers.map((c) => c.toContainerPlan(limits))));
}

describe('scaleDown', () => {
  it('takes first from a container that holds only that component, even a fuller one', () => {
    assert.deepEqual(after(planOf({ 1: 'a a a', 2: 'a b' }), { a: -1 }, ['a', 'b']), { 1: ['a#2/1', 'a#3/2'], 2: ['a#4/3', 'b#5/0'] });
  });

  it('then from the container with the fewest instances', () => {
    assert.deepEqual(after(planOf({ 1: 'a b b', 2: 'a b' }), { a: -1 }, ['a', 'b']), { 1: ['a#1/0', 'b#2/0', 'b#3/1'], 2: ['b#5/2'] });
  });

  it('then from the container where the component has the highest share', () => {
    assert.deepEqual(after(planOf({ 1: 'a b b', 2: 'a a b' }), { a: -1 }, ['a', 'b']), { 1: ['a#1/0', 'b#2/0', 'b#3/1'], 2: ['a#5/2', 'b#6/2'] });
  });

  it('then from the highest container id, removing the lowest task id there', () => {
    assert.deepEqual(after(planOf({ 1: 'a b', 2: 'a b', 3: 'c' }), { a: -1 }, ['a', 'b', 'c']), { 1: ['a#1/0', 'b#2/0'], 2: ['b#4/1'], 3: ['c#5/0'] });
  });

  it('scores afresh after every removal and drops the containers it empties', () => {
    // Both hold only a; 1 has fewer, and after one removal it has fewer still, so it is emptied first.
    assert.deepEqual(after(planOf({ 1: 'a a', 2: 'a a a' }), { a: -3 }, ['a']), { 2: ['a#4/3', 'a#5/4'] });
  });

  it('goes through the components in the order given', () => {
    const plan = planOf({ 1: 'a a b', 2: 'a b b' });
    // a first: equal sizes, 1 has the higher share of a; then b: 1 now has fewer instances.
    assert.deepEqual(after(plan, { a: -1, b: -1 }, ['a', 'b']), { 1: ['a#2/1'], 2: ['a#4/2', 'b#5/1', 'b#6/2'] });
    // b first: 2 has the higher share of b; then a: 2 now has fewer instances.
    assert.deepEqual(after(plan, { a: -1, b: -1 }, ['b', 'a']), { 1: ['a#1/0', 'a#2/1', 'b#3/0'], 2: ['b#6/2'] });
  });

  it('reports what it removed, in order, and the first id free for new containers', () => {
    const result = scaleDown(planOf({ 1: 'a b', 7: 'a' }), new Map([['a', -2], ['b', 1]]), ['a', 'b']);
    assert.deepEqual(result.removed.map((r) => [r.instance.taskId, r.containerId]), [[3, 7], [1, 1]]);
    assert.deepEqual(result.containers.map((c) => c.id), [1]);
    assert.equal(result.nextContainerId, 8);
  });

  it('gives back untouched containers exactly as they were, scheduled resources included', () => {
    const base = planOf({ 1: 'a', 2: 'a b' });
    const plan = createPackingPlan('p', base.containers.map((c) => ({ ...c, scheduled: new Resource(16, 16 * GiB, 16 * GiB) })));
    const { containers } = scaleDown(plan, new Map([['b', -1]]), ['a', 'b']);
    const limits = containerLimitsOf({ containerMaxInstances: 10 } as never, ONE);
    assert.equal(containers[0]?.toContainerPlan(limits), plan.containers[0]);
    assert.equal(containers[1]?.toContainerPlan(limits).scheduled, undefined);
    assert.deepEqual(containers[1]?.toContainerPlan(limits).required, new Resource(2, 2 * GiB, 2 * GiB));
  });

  it('leaves the plan it is given alone', () => {
    const plan = planOf({ 1: 'a a' });
    scaleDown(plan, new Map([['a', -1]]), ['a']);
    assert.deepEqual(placements(plan), { 1: ['a#1/0', 'a#2/1'] });
  });

  it('refuses a component missing from the order, or more removals than instances', () => {
    assert.throws(() => scaleDown(planOf({ 1: 'a b' }), new Map([['b', -1]]), ['a']), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', "'b'"));
    assert.throws(() => scaleDown(planOf({ 1: 'a a' }), new Map([['a', -3]]), ['a']), failsWith(RepackingError, 'REPACKING_INVALID_CHANGE', 'holds only 2'));
  });

  it('removes what one removal at a time, scoring every container, would (property)', () => {
    const layout = fc.dictionary(fc.integer({ min: 1, max: 12 }).map(String), fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(' ')), {
      minKeys: 1,
      maxKeys: 8,
    });
    fc.assert(
      fc.property(layout, fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 12 }), (rows, picks) => {
        const plan = planOf(Object.fromEntries(Object.entries(rows).map(([id, cs]) => [Number(id), cs])));
        const counts = new Map<string, number>();
        for (const i of plan.containers.flatMap((c) => c.instances)) counts.set(i.component, (counts.get(i.component) ?? 0) + 1);
        const deltas = new Map<string, number>();
        for (const pick of picks) if ((counts.get(pick) ?? 0) + (deltas.get(pick) ?? 0) > 0) deltas.set(pick, (deltas.get(pick) ?? 0) - 1);
        const order = ['c', 'a', 'b'];
        const { containers } = scaleDown(plan, deltas, order);
        const actual = Object.fromEntries(containers.map((c) => [c.id, c.instances().map((i) => i.taskId).sort((x, y) => x - y)]));
        assert.deepEqual(actual, naiveScaleDown(plan, deltas, order));
      }),
    );
  });
});

/** The rule read literally: per removal, sort every container holding the component by the four criteria. */
function naiveScaleDown(plan: PackingPlan, deltas: ReadonlyMap<string, number>, order: string[]): Record<number, number[]> {
  const containers = plan.containers.map((c) => ({ id: c.id, instances: [...c.instances] }));
  for (const component of order) {
    for (let n = -(deltas.get(component) ?? 0); n > 0; n--) {
      const score = (c: (typeof containers)[number]) => {
        const mine = c.instances.filter((i) => i.component === component).length;
        return [mine === c.instances.length ? 0 : 1, c.instances.length, -mine / c.instances.length, -c.id];
      };
      const candidates = containers.filter((c) => c.instances.some((i) => i.component === component));
      candidates.sort((x, y) => {
        const [sx, sy] = [score(x), score(y)];
        for (let k = 0; k < sx.length; k++) if (sx[k] !== sy[k]) return (sx[k] as number) - (sy[k] as number);
        return 0;
      });
      const chosen = candidates[0] as (typeof containers)[number];
      const lowest = chosen.instances.filter((i) => i.component === component).sort((x, y) => x.taskId - y.taskId)[0] as InstancePlan;
      chosen.instances = chosen.instances.filter((i) => i !== lowest);
    }
  }
  return Object.fromEntries(containers.filter((c) => c.instances.length > 0).map((c) => [c.id, c.instances.map((i) => i.taskId).sort((x, y) => x - y)]));
}
