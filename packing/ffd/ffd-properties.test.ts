import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readTopologyConfig } from '../../api/topology-config.js';
import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { instanceResourcesOf } from '../../core/packing/instance-resources.js';
import { assertPlanKeepsInvariants } from '../../core/packing/packing-test-fixtures.js';
import { assertRepacksKeepPromises, limitsOf, packOrExplain, randomScenario, randomTopology } from '../../core/packing/packing-test-properties.js';
import { Resource } from '../../core/spi/resource.js';
import { ffdConfigSchema } from './ffd-config.js';
import { FfdPacking } from './ffd-packing.js';
import { ffdOrder } from './ffd-placement.js';
import { FfdRepacking } from './ffd-repacking.js';

const config = ffdConfigSchema.parse({});

describe('ffd (properties)', () => {
  it('places every instance once within capacity, exactly as a plain first fit does', () => {
    fc.assert(
      fc.property(randomTopology, (t) => {
        const plan = packOrExplain(t, (x) => new FfdPacking(config).pack(x));
        if (!plan) return;
        assertPlanKeepsInvariants(t, plan, limitsOf(t));
        assert.deepEqual(plan.containers.map((c) => c.instances.map((i) => i.taskId)), plainFirstFit(t));
      }),
    );
  });

  it('repacks keeping untouched instances in place; scaling down then up never breaks capacity', () => {
    fc.assert(
      fc.property(randomScenario, ([t, mixed, second]) => {
        const plan = packOrExplain(t, (x) => new FfdPacking(config).pack(x));
        if (plan) assertRepacksKeepPromises(t, plan, new FfdRepacking(config), mixed, second);
      }),
    );
  });
});

/** First fit read literally: every instance scans every container from the first. Task ids per container. */
function plainFirstFit(t: TopologyDefinition): number[][] {
  const limits = limitsOf(t);
  const resources = instanceResourcesOf(t, config);
  const parallelism = new Map(componentsOf(t).map((c) => [c.name, c.parallelism]));
  const containers: { used: Resource; tasks: number[] }[] = [];
  let taskId = 1;
  for (const name of ffdOrder(resources, readTopologyConfig(t.config).ffdSortingStrategy)) {
    const r = resources.get(name) as Resource;
    for (let k = 0; k < (parallelism.get(name) ?? 0); k++) {
      let target = containers.find((c) => c.tasks.length < limits.maxInstances && c.used.plus(r).fits(limits.usable));
      if (!target) containers.push((target = { used: Resource.EMPTY, tasks: [] }));
      target.used = target.used.plus(r);
      target.tasks.push(taskId++);
    }
  }
  return containers.map((c) => c.tasks);
}
