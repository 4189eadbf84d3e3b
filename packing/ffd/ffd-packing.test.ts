import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Container } from 'inversify';
import { GiB, MiB } from '../../api/byte-amount.js';
import type { ConfigMap } from '../../api/config-value.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { classicTopology, component, failsWith, placements, topology } from '../../core/packing/packing-test-fixtures.js';
import { Packing, PackingError } from '../../core/spi/packing.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { Repacking } from '../../core/spi/repacking.js';
import { Resource } from '../../core/spi/resource.js';
import { ffdConfigSchema, FfdPackingConfig, FfdRepackingConfig } from './ffd-config.js';
import { FfdPacking } from './ffd-packing.js';
import { ffdPackingPlugin, ffdRepackingPlugin } from './ffd-plugin.js';
import { FfdRepacking } from './ffd-repacking.js';

function pack(t: TopologyDefinition, config: Record<string, unknown> = {}): PackingPlan {
  return new FfdPacking(ffdConfigSchema.parse(config)).pack(t);
}

const FIXED_CAPACITY = { 'topology.container.cpu': 8, 'topology.container.ram': '8GiB', 'topology.container.disk': '8GiB' };

const requiredOf = (plan: PackingPlan) => Object.fromEntries(plan.containers.map((c) => [c.id, c.required]));

describe('FfdPacking', () => {
  it('packs the classic fixture RAM first', () => {
    // Capacity: 4 default instances (4 cores, 4 GiB, 4 GiB); padding: the fixed 1 core, 1 GiB, 1 GiB (10 % is less);
    // so instances may use 3 cores, 3 GiB, 3 GiB and 4 slots. Spouts (2 GiB) sort before bolts (1 GiB). Two spouts
    // need 4 GiB, so each spout opens a container (tasks 1-4 into 1-4). A bolt (2 cores) then fits beside a spout
    // (3 cores, 3 GiB, 2 GiB), first fit: tasks 5, 6, 7 into containers 1, 2, 3; two bolts would need 4 cores.
    const plan = pack(classicTopology());
    assert.equal(plan.id, 'test-topology');
    assert.deepEqual(placements(plan), {
      1: ['spout#1/0', 'bolt#5/0'],
      2: ['spout#2/1', 'bolt#6/1'],
      3: ['spout#3/2', 'bolt#7/2'],
      4: ['spout#4/3'],
    });
    // Required: instances plus padding. Container 1: 3 cores + 1, 3 GiB + 1, 2 GiB + 1; container 4: 1 + 1, 2 + 1, 1 + 1.
    assert.deepEqual(requiredOf(plan)[1], new Resource(4, 4 * GiB, 3 * GiB));
    assert.deepEqual(requiredOf(plan)[4], new Resource(2, 3 * GiB, 2 * GiB));
    assert.deepEqual(plan.containers[0]?.instances[0]?.resources, new Resource(1, 2 * GiB, GiB));
    assert.deepEqual(plan.containers[0]?.instances[1]?.resources, new Resource(2, GiB, GiB));
  });

  it('packs the classic fixture cpu first under topology.packing.ffd.sorting.strategy CPU_FIRST', () => {
    // Bolts (2 cores) first, one per container (two would need 4 cores): tasks 1-3 into 1-3. Spouts then fit beside
    // a bolt one each (3 GiB): tasks 4-6 into 1-3; task 7 opens container 4.
    assert.deepEqual(placements(pack(classicTopology({ 'topology.packing.ffd.sorting.strategy': 'CPU_FIRST' }))), {
      1: ['bolt#1/0', 'spout#4/0'],
      2: ['bolt#2/1', 'spout#5/1'],
      3: ['bolt#3/2', 'spout#6/2'],
      4: ['spout#7/3'],
    });
  });

  it('sorts by resources, not declaration, and goes back to the first container with room', () => {
    // Usable: 3 cores, 3 GiB, 3 GiB. big (2 GiB) first although declared last: one per container. small (0.5 core,
    // 512 MiB) fills container 1 up to 3 GiB of RAM (tasks 3, 4), then goes on in container 2.
    const t = topology([component('spout', 'small', 3, { cpu: 0.5, ram: 512 * MiB }), component('bolt', 'big', 2, { ram: 2 * GiB })], { 'topology.container.max.instances': 4 });
    assert.deepEqual(placements(pack(t)), { 1: ['big#1/0', 'small#3/0', 'small#4/1'], 2: ['big#2/1', 'small#5/2'] });
  });

  it('keeps to topology.container.max.instances', () => {
    const t = topology([component('spout', 'tiny', 5, { cpu: 0.25, ram: 256 * MiB, disk: 0 })], { 'topology.container.max.instances': 2 });
    assert.deepEqual(placements(pack(t)), { 1: ['tiny#1/0', 'tiny#2/1'], 2: ['tiny#3/2', 'tiny#4/3'], 3: ['tiny#5/4'] });
  });

  it('pads by topology.container.padding.percentage where it is more than the fixed padding', () => {
    // cpu 20 and ram 20 GiB padded 4 and 4 GiB; disk: 10 default instances (10 GiB) padded 2 GiB, so 8 instances.
    const t = topology([component('spout', 's', 20)], { 'topology.container.cpu': 20, 'topology.container.ram': '20GiB', 'topology.container.padding.percentage': 20 });
    const plan = pack(t);
    assert.deepEqual(plan.containers.map((c) => c.instances.length), [8, 8, 4]);
    assert.deepEqual(requiredOf(plan)[1], new Resource(12, 12 * GiB, 10 * GiB));
  });

  it('rounds the cpu a container requires up to whole cores', () => {
    const plan = pack(topology([component('spout', 's', 3, { cpu: 0.5 })]));
    assert.deepEqual(requiredOf(plan)[1], new Resource(3, 4 * GiB, 4 * GiB));
  });

  it('ignores topology.stmgrs', () => {
    assert.equal(pack(classicTopology({ 'topology.stmgrs': 1 })).containers.length, 4);
  });

  it('fails naming the component whose instances ask less than 192 MiB, or fit no empty container', () => {
    assert.throws(() => pack(topology([component('spout', 'thin', 1, { ram: 100 * MiB })])), failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "'thin'", '192 MiB'));
    assert.throws(
      () => pack(classicTopology({ 'topology.container.ram': '2GiB' })),
      failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "cannot pack topology 'test-topology'", "'spout'", 'topology.container.ram must be larger'),
    );
    assert.throws(() => pack(classicTopology({ 'topology.container.max.instances': 1 })), failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "'spout'", 'topology.container.cpu and topology.container.ram'));
  });

  it('fails with PACKING_INVALID_CONFIG for a malformed topology key', () => {
    assert.throws(() => pack(classicTopology({ 'topology.packing.ffd.sorting.strategy': 'DISK_FIRST' })), failsWith(PackingError, 'PACKING_INVALID_CONFIG', 'RAM_FIRST or CPU_FIRST'));
  });

  it('gives instances without stated resources the defaults from its config', () => {
    // The defaults also size the container when topology.container.* does not, so state it here.
    const plan = pack(classicTopology(FIXED_CAPACITY), { 'egret.resources.instance.ram': '512MiB' });
    assert.deepEqual(plan.containers[0]?.instances.find((i) => i.component === 'bolt')?.resources, new Resource(2, 512 * MiB, GiB));
  });
});

describe('the ffd plugins', () => {
  async function load(config: ConfigMap = {}) {
    const container = new Container();
    container.bind(FfdPackingConfig).toConstantValue(ffdPackingPlugin.configSchema.parse(config));
    container.bind(FfdRepackingConfig).toConstantValue(ffdRepackingPlugin.configSchema.parse(config));
    await container.load(ffdPackingPlugin.module, ffdRepackingPlugin.module);
    return container;
  }

  it('load into an inversify container, in singleton scope', async () => {
    const container = await load({ 'egret.resources.instance.cpu': 0.5 });
    const packing = container.get<Packing>(Packing);
    assert.ok(packing instanceof FfdPacking);
    assert.equal(container.get<Packing>(Packing), packing);
    assert.ok(container.get<Repacking>(Repacking) instanceof FfdRepacking);
    assert.deepEqual(packing.pack(classicTopology(FIXED_CAPACITY)).containers[0]?.instances[0]?.resources, new Resource(0.5, 2 * GiB, GiB));
  });

  it('describe themselves as the packing and repacking plugins named ffd', () => {
    assert.deepEqual([ffdPackingPlugin.family, ffdPackingPlugin.name], ['packing', 'ffd']);
    assert.deepEqual([ffdRepackingPlugin.family, ffdRepackingPlugin.name], ['repacking', 'ffd']);
    assert.notEqual(ffdPackingPlugin.configToken, ffdRepackingPlugin.configToken);
  });
});
