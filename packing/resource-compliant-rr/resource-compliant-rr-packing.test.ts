import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Container } from 'inversify';
import { MiB } from '../../api/byte-amount.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { classicTopology, component, failsWith, placements, topology } from '../../core/packing/packing-test-fixtures.js';
import { Packing, PackingError } from '../../core/spi/packing.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { Repacking } from '../../core/spi/repacking.js';
import { ResourceCompliantRrPackingConfig, ResourceCompliantRrRepackingConfig, resourceCompliantRrConfigSchema } from './resource-compliant-rr-config.js';
import { ResourceCompliantRrPacking } from './resource-compliant-rr-packing.js';
import { resourceCompliantRrPackingPlugin, resourceCompliantRrRepackingPlugin } from './resource-compliant-rr-plugin.js';
import { ResourceCompliantRrRepacking } from './resource-compliant-rr-repacking.js';

function pack(t: TopologyDefinition): PackingPlan {
  return new ResourceCompliantRrPacking(resourceCompliantRrConfigSchema.parse({})).pack(t);
}

/** Runs `action` and returns what it wrote to stderr (where the logger writes) meanwhile and just after. */
async function stderrOf(action: () => void): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => ((text += String(chunk)), true)) as typeof process.stderr.write;
  try {
    action();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe('ResourceCompliantRrPacking', () => {
  it('packs the classic fixture, adding containers until the deal fits', () => {
    // Usable per container (as ffd): 3 cores, 3 GiB, 3 GiB, 4 instances. Dealt in declaration order, spouts (2 GiB)
    // then bolts (2 cores), from topology.stmgrs = 2: over 2 containers, container 1 gets spouts 1 and 3 (4 GiB);
    // over 3, spouts 1 and 4. Over 4, each container gets one spout and 1-3 a bolt too (3 cores, 3 GiB): it fits.
    assert.deepEqual(placements(pack(classicTopology())), {
      1: ['spout#1/0', 'bolt#5/0'],
      2: ['spout#2/1', 'bolt#6/1'],
      3: ['spout#3/2', 'bolt#7/2'],
      4: ['spout#4/3'],
    });
  });

  it('uses topology.stmgrs containers when the deal fits them, the cursor carrying on across components', () => {
    const t = topology([component('spout', 'a', 3), component('bolt', 'b', 3)], { 'topology.stmgrs': 2 });
    assert.deepEqual(placements(pack(t)), { 1: ['a#1/0', 'a#3/2', 'b#5/1'], 2: ['a#2/1', 'b#4/0', 'b#6/2'] });
  });

  it('goes past the lower bound on containers when the strict deal needs it', () => {
    // a ×2 and b ×2 ask 2 cores each (usable 3): 8 cores need at least 3 containers, but over 3 the deal puts a#1 and
    // b#4 together (4 cores). Over 4 each container holds one instance.
    const t = topology([component('spout', 'a', 2, { cpu: 2 }), component('bolt', 'b', 2, { cpu: 2 })], { 'topology.container.max.instances': 4 });
    assert.deepEqual(placements(pack(t)), { 1: ['a#1/0'], 2: ['a#2/1'], 3: ['b#3/0'], 4: ['b#4/1'] });
  });

  it('warns and uses one container per instance when topology.stmgrs asks for more', async () => {
    let plan: PackingPlan | undefined;
    const logged = await stderrOf(() => (plan = pack(classicTopology({ 'topology.stmgrs': 9 }))));
    assert.equal(plan?.containers.length, 7);
    assert.match(logged, /packing:resource-compliant-rr/);
    assert.match(logged, /topology\.stmgrs asks for more containers than topology 'test-topology' has instances/);
  });

  it('fails naming the component whose instances ask less than 192 MiB, or fit no empty container', () => {
    assert.throws(() => pack(topology([component('spout', 'thin', 1, { ram: 100 * MiB })])), failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "'thin'", '192 MiB'));
    assert.throws(() => pack(classicTopology({ 'topology.container.cpu': 2.5 })), failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "'bolt'", 'topology.container.cpu must be larger'));
  });
});

describe('the resource-compliant-rr plugins', () => {
  it('load into an inversify container', async () => {
    const container = new Container();
    container.bind(ResourceCompliantRrPackingConfig).toConstantValue(resourceCompliantRrPackingPlugin.configSchema.parse({}));
    container.bind(ResourceCompliantRrRepackingConfig).toConstantValue(resourceCompliantRrRepackingPlugin.configSchema.parse({}));
    await container.load(resourceCompliantRrPackingPlugin.module, resourceCompliantRrRepackingPlugin.module);
    assert.ok(container.get<Packing>(Packing) instanceof ResourceCompliantRrPacking);
    assert.ok(container.get<Repacking>(Repacking) instanceof ResourceCompliantRrRepacking);
    assert.deepEqual([resourceCompliantRrPackingPlugin.family, resourceCompliantRrPackingPlugin.name], ['packing', 'resource-compliant-rr']);
    assert.deepEqual([resourceCompliantRrRepackingPlugin.family, resourceCompliantRrRepackingPlugin.name], ['repacking', 'resource-compliant-rr']);
  });
});
