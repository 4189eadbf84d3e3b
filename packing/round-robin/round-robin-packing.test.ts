import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Container } from 'inversify';
import { GiB, MiB } from '../../api/byte-amount.js';
import type { ConfigMap } from '../../api/config-value.js';
import type { ComponentDefinition, ResourceRequest, TopologyDefinition } from '../../api/topology-definition.js';
import { Packing, PackingError } from '../../core/spi/packing.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { Resource } from '../../core/spi/resource.js';
import { RoundRobinPacking } from './round-robin-packing.js';
import { RoundRobinPackingConfig, roundRobinPackingConfigSchema } from './round-robin-packing-config.js';
import { roundRobinPackingPlugin } from './round-robin-plugin.js';

function component(kind: 'spout' | 'bolt', name: string, parallelism: number, resources: ResourceRequest = {}): ComponentDefinition {
  const base = { name, parallelism, resources, outputs: [], config: {} };
  return kind === 'spout' ? { kind, ...base } : { kind, ...base, inputs: [] };
}

function topology(components: ComponentDefinition[], config: ConfigMap = {}): TopologyDefinition {
  return {
    name: 'test-topology',
    spouts: components.filter((c) => c.kind === 'spout'),
    bolts: components.filter((c) => c.kind === 'bolt'),
    config,
  };
}

/** The classic fixture: spout ×4 asking 2 GiB RAM, bolt ×3 asking 2 cores, two containers. */
function classic(config: ConfigMap = {}): TopologyDefinition {
  return topology([component('spout', 'spout', 4, { ram: 2 * GiB }), component('bolt', 'bolt', 3, { cpu: 2 })], { 'topology.stmgrs': 2, ...config });
}

function pack(t: TopologyDefinition, config: Record<string, unknown> = {}): PackingPlan {
  return new RoundRobinPacking(roundRobinPackingConfigSchema.parse(config)).pack(t);
}

/** Each container as `component#taskId/componentIndex` strings in task order. */
function placements(plan: PackingPlan): string[][] {
  return plan.containers.map((c) => c.instances.map((i) => `${i.component}#${i.taskId}/${i.componentIndex}`));
}

function packingError(code: PackingError['code'], ...fragments: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof PackingError, `expected a PackingError, got ${String(error)}`);
    assert.equal(error.code, code);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `'${error.message}' should mention '${fragment}'`);
    return true;
  };
}

describe('RoundRobinPacking', () => {
  it('packs the classic fixture: instances dealt in turn, heaviest RAM first, padding added', () => {
    const plan = pack(classic());
    assert.equal(plan.id, 'test-topology');
    assert.deepEqual(placements(plan), [
      ['spout#1/0', 'spout#3/2', 'bolt#5/0', 'bolt#7/2'],
      ['spout#2/1', 'spout#4/3', 'bolt#6/1'],
    ]);
    const spout = plan.containers[0]?.instances[0];
    const bolt = plan.containers[0]?.instances[2];
    assert.deepEqual(spout?.resources, new Resource(1, 2 * GiB, GiB));
    assert.deepEqual(bolt?.resources, new Resource(2, GiB, GiB));
    // Container 1: cpu 1+1+2+2 + 1, ram 2+2+1+1 + 2 GiB, disk 4 × 1 + 12 GiB.
    assert.deepEqual(plan.containers[0]?.required, new Resource(7, 8 * GiB, 16 * GiB));
    assert.deepEqual(plan.containers[1]?.required, new Resource(5, 7 * GiB, 15 * GiB));
    assert.equal(plan.containers[0]?.scheduled, undefined);
  });

  it('sorts components by stated RAM, descending, keeping declaration order (spouts first) on ties', () => {
    const t = topology([
      component('spout', 'a', 1),
      component('spout', 'b', 1, { ram: GiB }),
      component('bolt', 'e', 1),
      component('bolt', 'c', 1, { ram: 3 * GiB }),
      component('bolt', 'd', 1, { ram: GiB }),
    ]);
    assert.deepEqual(placements(pack(t)), [['c#1/0', 'b#2/0', 'd#3/0', 'a#4/0', 'e#5/0']]);
  });

  it('carries the cursor from one component to the next', () => {
    const t = topology([component('spout', 's', 3), component('bolt', 'b', 3)], { 'topology.stmgrs': 2 });
    assert.deepEqual(placements(pack(t)), [
      ['s#1/0', 's#3/2', 'b#5/1'],
      ['s#2/1', 'b#4/0', 'b#6/2'],
    ]);
  });

  it('takes padding from the topology config', () => {
    const plan = pack(classic({ 'topology.container.cpu.padding': 0.5, 'topology.container.ram.padding': '512MiB', 'topology.container.disk.padding': 0 }));
    assert.deepEqual(plan.containers[1]?.required, new Resource(4.5, 5 * GiB + 512 * MiB, 3 * GiB));
  });

  it('caps what a container requires at topology.container.{cpu,ram,disk}, padding giving way first', () => {
    const plan = pack(classic({ 'topology.container.cpu': 6.5, 'topology.container.ram': '7GiB', 'topology.container.disk': 20 * GiB }));
    assert.deepEqual(plan.containers[0]?.required, new Resource(6.5, 7 * GiB, 16 * GiB));
    assert.deepEqual(plan.containers[1]?.required, new Resource(5, 7 * GiB, 15 * GiB));
  });

  it('fails when a container’s instances alone exceed a cap, naming the container, the resource and the amounts', () => {
    assert.throws(
      () => pack(classic({ 'topology.container.ram': '5.5GiB' })),
      packingError('PACKING_INSUFFICIENT_RESOURCES', 'container 1', 'ram 6 GiB', 'topology.container.ram 5.5 GiB', 'topology.stmgrs'),
    );
    assert.throws(() => pack(classic({ 'topology.container.cpu': 5 })), packingError('PACKING_INSUFFICIENT_RESOURCES', 'container 1', 'cpu 6 cores', 'topology.container.cpu 5 cores'));
  });

  it('fails for fewer than one container, or more containers than instances, saying the numbers', () => {
    assert.throws(() => pack(classic({ 'topology.stmgrs': 0 })), packingError('PACKING_INVALID_CONFIG', 'topology.stmgrs', '0'));
    assert.throws(() => pack(classic({ 'topology.stmgrs': 8 })), packingError('PACKING_INVALID_CONFIG', 'topology.stmgrs', '8 containers', '7 instances'));
    assert.equal(pack(classic({ 'topology.stmgrs': 7 })).containers.length, 7);
  });

  it('fails with PACKING_INVALID_CONFIG for a malformed topology key or stated resource', () => {
    assert.throws(() => pack(classic({ 'topology.container.ram': 'lots' })), packingError('PACKING_INVALID_CONFIG', "'test-topology'", 'topology.container.ram'));
    const t = topology([component('spout', 'half', 1, { ram: 1.5 })]);
    assert.throws(() => pack(t), packingError('PACKING_INVALID_CONFIG', "'half'", 'ram 1.5'));
  });

  it('gives instances without stated resources the defaults from its config, per dimension', () => {
    const plan = pack(classic(), { 'egret.resources.instance.cpu': 0.5, 'egret.resources.instance.ram': '512MiB', 'egret.resources.instance.disk': 2 * GiB });
    const [spout, , bolt] = plan.containers[0]?.instances ?? [];
    assert.deepEqual(spout?.resources, new Resource(0.5, 2 * GiB, 2 * GiB));
    assert.deepEqual(bolt?.resources, new Resource(2, 512 * MiB, 2 * GiB));
  });

  it('gives the same plan for the same topology', () => {
    assert.deepEqual(pack(classic()), pack(classic()));
  });

  it('places every instance once, numbers tasks 1..n and balances containers to within one (property)', () => {
    const resources = fc.record({ cpu: fc.integer({ min: 1, max: 8 }), ram: fc.integer({ min: 1, max: 8 }).map((n) => n * 256 * MiB), disk: fc.constant(GiB) }, { requiredKeys: [] });
    const components = fc.array(fc.record({ spout: fc.boolean(), parallelism: fc.integer({ min: 1, max: 20 }), resources }), { minLength: 1, maxLength: 6 });
    const scenario = components.chain((cs) => {
      const total = cs.reduce((sum, c) => sum + c.parallelism, 0);
      return fc.tuple(fc.constant(cs), fc.integer({ min: 1, max: total }));
    });
    fc.assert(
      fc.property(scenario, ([cs, stmgrs]) => {
        const t = topology(
          cs.map((c, i) => component(c.spout ? 'spout' : 'bolt', `c${i}`, c.parallelism, c.resources)),
          { 'topology.stmgrs': stmgrs },
        );
        const plan = pack(t);
        const instances = plan.containers.flatMap((c) => c.instances);
        const total = cs.reduce((sum, c) => sum + c.parallelism, 0);
        assert.equal(plan.containers.length, stmgrs);
        assert.deepEqual(instances.map((i) => i.taskId).sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i + 1));
        cs.forEach((c, i) => {
          const indexes = instances.filter((inst) => inst.component === `c${i}`).map((inst) => inst.componentIndex).sort((a, b) => a - b);
          assert.deepEqual(indexes, Array.from({ length: c.parallelism }, (_, k) => k));
        });
        const sizes = plan.containers.map((c) => c.instances.length);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `container sizes ${sizes.join(', ')}`);
      }),
    );
  });
});

describe('the round-robin plugin', () => {
  it('loads into an inversify container and packs', async () => {
    const container = new Container();
    container.bind(RoundRobinPackingConfig).toConstantValue(roundRobinPackingPlugin.configSchema.parse({ 'egret.resources.instance.cpu': 2 }));
    await container.load(roundRobinPackingPlugin.module);
    const packing = container.get<Packing>(Packing);
    assert.ok(packing instanceof RoundRobinPacking);
    assert.equal(container.get<Packing>(Packing), packing, 'bound in singleton scope');
    const plan = packing.pack(classic());
    assert.deepEqual(plan.containers[0]?.instances[0]?.resources, new Resource(2, 2 * GiB, GiB));
  });

  it('describes itself as the packing plugin named round-robin', () => {
    assert.equal(roundRobinPackingPlugin.family, 'packing');
    assert.equal(roundRobinPackingPlugin.name, 'round-robin');
    assert.equal(roundRobinPackingPlugin.configToken, Symbol.for('egret.packing.round-robin.config'));
  });
});
