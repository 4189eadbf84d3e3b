import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { componentsOf } from '../../api/topology-definition.js';
import { containersLowerBound } from '../../core/packing/container-limits.js';
import { instanceResourcesOf } from '../../core/packing/instance-resources.js';
import { assertPlanKeepsInvariants } from '../../core/packing/packing-test-fixtures.js';
import { assertRepacksKeepPromises, limitsOf, packOrExplain, randomScenario, randomTopology } from '../../core/packing/packing-test-properties.js';
import { Resource } from '../../core/spi/resource.js';
import { balancedConfigSchema } from './balanced-config.js';
import { BalancedPacking } from './balanced-packing.js';
import { BalancedRepacking } from './balanced-repacking.js';

const config = balancedConfigSchema.parse({});

describe('balanced (properties)', () => {
  it('places every instance once within capacity, task ids 1..n, never fewer containers than the lower bound', () => {
    fc.assert(
      fc.property(randomTopology, (t) => {
        const plan = packOrExplain(t, (x) => new BalancedPacking(config).pack(x));
        if (!plan) return;
        const limits = limitsOf(t);
        assertPlanKeepsInvariants(t, plan, limits);
        const ids = plan.containers.flatMap((c) => c.instances.map((i) => i.taskId)).sort((a, b) => a - b);
        assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => i + 1));
        assert.deepEqual(plan.containers.map((c) => c.id), Array.from({ length: plan.containers.length }, (_, i) => i + 1));
        const resources = instanceResourcesOf(t, config);
        const demand = componentsOf(t).reduce((sum, c) => sum.plus((resources.get(c.name) as Resource).multiply(c.parallelism)), Resource.EMPTY);
        assert.ok(plan.containers.length >= containersLowerBound(demand, ids.length, limits), 'at least the lower bound');
      }),
    );
  });

  it('repacks keeping untouched instances in place; scaling down then up never breaks capacity', () => {
    fc.assert(
      fc.property(randomScenario, ([t, mixed, second]) => {
        const plan = packOrExplain(t, (x) => new BalancedPacking(config).pack(x));
        if (plan) assertRepacksKeepPromises(t, plan, new BalancedRepacking(config), mixed, second);
      }),
    );
  });
});
