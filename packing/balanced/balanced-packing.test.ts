import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Container } from 'inversify';
import { GiB, MiB } from '../../api/byte-amount.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { classicTopology, component, failsWith, placements, topology } from '../../core/packing/packing-test-fixtures.js';
import { Packing, PackingError } from '../../core/spi/packing.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { Repacking } from '../../core/spi/repacking.js';
import { Resource } from '../../core/spi/resource.js';
import { packingWorkload } from '../../bench/packing-workloads.js';
import { balancedConfigSchema } from './balanced-config.js';
import { BalancedPacking } from './balanced-packing.js';
import { balancedPackingPlugin, balancedRepackingPlugin } from './balanced-plugin.js';
import { BalancedRepacking } from './balanced-repacking.js';

const config = balancedConfigSchema.parse({});

function pack(t: TopologyDefinition, settings: Record<string, unknown> = {}): PackingPlan {
  return new BalancedPacking(balancedConfigSchema.parse(settings)).pack(t);
}

/**
 * Six RAM-heavy and six cpu-heavy instances in containers of 10 cores and 10 GiB (9 and 9 usable after padding).
 * Sorting by RAM puts two caches in each of three containers (8 GiB, 2 cores), where no crunch fits, and then one
 * crunch per container: 9 containers. One cache beside one crunch (6 cores, 6 GiB) needs 6, the fewest possible,
 * since no two crunches share a container.
 */
function cachesAndCrunchers(): TopologyDefinition {
  return topology([component('spout', 'cache', 6, { cpu: 1, ram: 4 * GiB }), component('bolt', 'crunch', 6, { cpu: 5, ram: 2 * GiB })], {
    'topology.container.cpu': 10,
    'topology.container.ram': 10 * GiB,
    'topology.container.disk': 20 * GiB,
  });
}

describe('BalancedPacking', () => {
  it('packs the classic fixture: one spout and one bolt fill a container in cpu and RAM at once', () => {
    // Capacity 4 cores, 4 GiB, 4 GiB (the defaults × 4 instances), padding 1 of each: 3, 3 GiB, 3 GiB usable.
    // A spout (1, 2 GiB) and a bolt (2, 1 GiB) fill cpu and RAM exactly; the spout goes first, as more of the
    // demand still to place is RAM. The fourth spout is left alone.
    const plan = pack(classicTopology());
    assert.equal(plan.id, 'test-topology');
    assert.deepEqual(placements(plan), {
      1: ['spout#1/0', 'bolt#2/0'],
      2: ['spout#3/1', 'bolt#4/1'],
      3: ['spout#5/2', 'bolt#6/2'],
      4: ['spout#7/3'],
    });
    for (const container of plan.containers.slice(0, 3)) assert.deepEqual(container.required, new Resource(4, 4 * GiB, 3 * GiB));
    assert.deepEqual(plan.containers[3]?.required, new Resource(2, 3 * GiB, 2 * GiB));
    assert.deepEqual(plan.containers[0]?.instances[0]?.resources, new Resource(1, 2 * GiB, GiB));
    assert.deepEqual(plan.containers[0]?.instances[1]?.resources, new Resource(2, GiB, GiB));
  });

  it('pairs cpu-heavy with RAM-heavy instances where sorting by one dimension leaves the other idle', () => {
    const plan = pack(cachesAndCrunchers());
    assert.equal(plan.containers.length, 6);
    for (const container of plan.containers) assert.deepEqual(container.instances.map((i) => i.component).sort(), ['cache', 'crunch'], `container ${container.id}`);
    // The crunch goes first: the remaining demand is as large in cpu as in RAM, and a crunch takes more of both.
    assert.deepEqual(placements(plan)[1], ['crunch#1/0', 'cache#2/0']);
  });

  it('gives the same plan for the same input', () => {
    const t = packingWorkload(7, 400);
    assert.deepEqual(pack(t), pack(t));
    assert.deepEqual(pack(classicTopology()), pack(classicTopology()));
  });

  it('fails naming the component when an instance fits no empty container', () => {
    const t = topology([component('spout', 'small', 2), component('bolt', 'huge', 1, { cpu: 12 })], { 'topology.container.cpu': 8 });
    assert.throws(() => pack(t), failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "'test-topology'", "'huge'", 'topology.container.cpu'));
    // 10 instances × 1 GiB of capacity, less 1 GiB of padding: 9 GiB usable.
    const fat = topology([component('spout', 'fat', 1, { ram: 9 * GiB + 512 * MiB })]);
    assert.throws(() => pack(fat), failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "'fat'", 'topology.container.ram'));
  });

  it('fails for an instance asking less than 192 MiB of RAM', () => {
    const t = topology([component('spout', 'tiny', 1, { ram: 128 * MiB })]);
    assert.throws(() => pack(t), failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "'tiny'", '192 MiB'));
    assert.equal(pack(topology([component('spout', 'tiny', 1, { ram: 192 * MiB })])).containers.length, 1);
  });

  it('fails with PACKING_INVALID_CONFIG for a malformed topology key', () => {
    assert.throws(() => pack(classicTopology({ 'topology.container.ram': 'lots' })), failsWith(PackingError, 'PACKING_INVALID_CONFIG', 'topology.container.ram'));
  });

  it('gives instances without stated resources the defaults from its config', () => {
    const plan = pack(topology([component('spout', 's', 2)]), { 'egret.resources.instance.cpu': 0.5, 'egret.resources.instance.ram': '512MiB' });
    assert.deepEqual(plan.containers[0]?.instances[0]?.resources, new Resource(0.5, 512 * MiB, GiB));
  });

  it('ignores topology.stmgrs: containers are as many as the instances need', () => {
    assert.equal(pack(classicTopology({ 'topology.stmgrs': 1 })).containers.length, 4);
    assert.equal(pack(classicTopology({ 'topology.stmgrs': 7 })).containers.length, 4);
  });
});

describe('the balanced plugins', () => {
  it('load into an inversify container, packing and repacking', async () => {
    const container = new Container();
    container.bind(balancedPackingPlugin.configToken).toConstantValue(balancedPackingPlugin.configSchema.parse({}));
    container.bind(balancedRepackingPlugin.configToken).toConstantValue(balancedRepackingPlugin.configSchema.parse({}));
    await container.load(balancedPackingPlugin.module, balancedRepackingPlugin.module);
    const packing = container.get<Packing>(Packing);
    const repacking = container.get<Repacking>(Repacking);
    assert.ok(packing instanceof BalancedPacking);
    assert.ok(repacking instanceof BalancedRepacking);
    assert.equal(container.get<Packing>(Packing), packing, 'bound in singleton scope');
    const plan = packing.pack(classicTopology());
    assert.equal(repacking.repack(classicTopology(), plan, new Map([['bolt', 1]])).containers.length, 4);
  });

  it('describe themselves as the packing and repacking plugins named balanced', () => {
    assert.deepEqual([balancedPackingPlugin.family, balancedPackingPlugin.name], ['packing', 'balanced']);
    assert.deepEqual([balancedRepackingPlugin.family, balancedRepackingPlugin.name], ['repacking', 'balanced']);
    assert.equal(balancedPackingPlugin.configToken, Symbol.for('egret.packing.balanced.config'));
    assert.equal(balancedRepackingPlugin.configToken, Symbol.for('egret.repacking.balanced.config'));
    assert.deepEqual(balancedPackingPlugin.configSchema.parse({}), config);
  });
});
