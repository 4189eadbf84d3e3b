import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readTopologyConfig } from '../../api/topology-config.js';
import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { configureLogging } from '../../core/logging.js';
import { instanceResourcesOf } from '../../core/packing/instance-resources.js';
import { assertPlanKeepsInvariants } from '../../core/packing/packing-test-fixtures.js';
import { assertRepacksKeepPromises, limitsOf, packOrExplain, randomScenario, randomTopology } from '../../core/packing/packing-test-properties.js';
import { scaleDown } from '../../core/packing/scale-down.js';
import { instancesOf, type PackingPlan } from '../../core/spi/packing-plan.js';
import { Resource } from '../../core/spi/resource.js';
import { resourceCompliantRrConfigSchema } from './resource-compliant-rr-config.js';
import { ResourceCompliantRrPacking } from './resource-compliant-rr-packing.js';
import { ResourceCompliantRrRepacking } from './resource-compliant-rr-repacking.js';

const config = resourceCompliantRrConfigSchema.parse({});
// Random topologies often ask for more containers than instances; the warning it logs is tested elsewhere.
configureLogging({ level: 'error', format: 'json' });

/** Task ids per container id, in task order: what the references below compute. */
function tasksByContainer(plan: PackingPlan): Record<number, number[]> {
  return Object.fromEntries(plan.containers.map((c) => [c.id, c.instances.map((i) => i.taskId)]));
}

describe('resource-compliant-rr (properties)', () => {
  it('places every instance once within capacity, over the containers the rule read literally chooses', () => {
    fc.assert(
      fc.property(randomTopology, (t) => {
        const plan = packOrExplain(t, (x) => new ResourceCompliantRrPacking(config).pack(x));
        if (!plan) return;
        assertPlanKeepsInvariants(t, plan, limitsOf(t));
        assert.deepEqual(tasksByContainer(plan), literalPack(t));
      }),
    );
  });

  it('repacks keeping untouched instances in place, as the rule read literally does; down then up keeps capacity', () => {
    fc.assert(
      fc.property(randomScenario, ([t, mixed, second]) => {
        const plan = packOrExplain(t, (x) => new ResourceCompliantRrPacking(config).pack(x));
        if (!plan) return;
        const repacking = new ResourceCompliantRrRepacking(config);
        assert.deepEqual(tasksByContainer(repacking.repack(t, plan, mixed)), literalRepack(t, plan, mixed));
        assertRepacksKeepPromises(t, plan, repacking, mixed, second);
      }),
    );
  });
});

interface Bin {
  readonly id: number;
  used: Resource;
  tasks: number[];
}

const fits = (bin: Bin, r: Resource, t: TopologyDefinition) => bin.tasks.length < limitsOf(t).maxInstances && bin.used.plus(r).fits(limitsOf(t).usable);

/** The packing rule read literally: from topology.stmgrs (at most one per instance), deal; on a misfit, one more. */
function literalPack(t: TopologyDefinition): Record<number, number[]> {
  const resources = instanceResourcesOf(t, config);
  const total = componentsOf(t).reduce((sum, c) => sum + c.parallelism, 0);
  for (let n = Math.min(readTopologyConfig(t.config).stmgrs, total); ; n++) {
    const bins: Bin[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, used: Resource.EMPTY, tasks: [] }));
    let position = 0;
    const dealt = componentsOf(t).every((c) => {
      for (let k = 0; k < c.parallelism; k++, position++) {
        const bin = bins[position % n] as Bin;
        const r = resources.get(c.name) as Resource;
        if (!fits(bin, r, t)) return false;
        bin.used = bin.used.plus(r);
        bin.tasks.push(position + 1);
      }
      return true;
    });
    if (dealt) return Object.fromEntries(bins.map((b) => [b.id, b.tasks]));
  }
}

/** The repacking rule read literally (scale-down shared): net containers first, then one more per failed attempt. */
function literalRepack(t: TopologyDefinition, plan: PackingPlan, changes: ReadonlyMap<string, number>): Record<number, number[]> {
  const limits = limitsOf(t);
  const resources = instanceResourcesOf(t, config);
  const order = componentsOf(t).map((c) => c.name);
  let added = Resource.EMPTY;
  for (const [name, d] of changes) if (d > 0) added = added.plus((resources.get(name) as Resource).multiply(d));
  const removed = scaleDown(plan, changes, order).removed.reduce((sum, r) => sum.plus(r.instance.resources), Resource.EMPTY);
  const net = added.subtract(removed);
  let extra = Math.max(0, Math.ceil(net.cpu / limits.capacity.cpu - 1e-9), Math.ceil(net.ram / limits.capacity.ram), Math.ceil(net.disk / limits.capacity.disk));
  const highestTask = Math.max(...instancesOf(plan).map((i) => i.taskId));
  const highestId = Math.max(...plan.containers.map((c) => c.id));
  for (; ; extra++) {
    const down = scaleDown(plan, changes, order);
    const bins: Bin[] = down.containers.map((c) => ({ id: c.id, used: c.instances().reduce((sum, i) => sum.plus(i.resources), Resource.EMPTY), tasks: c.instances().map((i) => i.taskId) }));
    for (let k = 1; k <= extra; k++) bins.push({ id: highestId + k, used: Resource.EMPTY, tasks: [] });
    const last = down.removed.at(-1);
    let cursor = last ? Math.max(0, bins.findIndex((b) => b.id > last.containerId)) : 0;
    let taskId = highestTask + 1;
    const placed = order.every((name) => {
      const r = resources.get(name) as Resource;
      for (let k = 0; k < (changes.get(name) ?? 0); k++) {
        const offset = bins.findIndex((_, j) => fits(bins[(cursor + j) % bins.length] as Bin, r, t));
        if (offset < 0) return false;
        const bin = bins[(cursor + offset) % bins.length] as Bin;
        bin.used = bin.used.plus(r);
        bin.tasks.push(taskId++);
        cursor = (cursor + offset + 1) % bins.length;
      }
      return true;
    });
    if (placed) return Object.fromEntries(bins.filter((b) => b.tasks.length > 0).map((b) => [b.id, b.tasks.sort((x, y) => x - y)]));
  }
}
