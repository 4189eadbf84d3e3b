import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyBuilder } from './topology-builder.js';
import { defineTopology, isTopologyDefinition, type TopologyModuleContext } from './topology-module.js';
import { topologyFromSpec } from './topology-spec.js';

function built() {
  const builder = new TopologyBuilder();
  builder.setSpout('word', { declareOutputFields: (d) => d.declare(['word']), open() {}, nextTuple() {} });
  builder.setBolt('count', { execute() {} }).shuffleGrouping('word');
  return builder.build('t');
}

describe('isTopologyDefinition', () => {
  it('accepts what the builder and spec files produce', () => {
    assert.equal(isTopologyDefinition(built()), true);
    assert.equal(isTopologyDefinition(topologyFromSpec({ name: 't', spouts: [{ name: 's', outputs: { default: ['w'] } }] }, 'spec.json')), true);
  });

  it('accepts a structural copy, as from a separately bundled Egret', () => {
    const topology = built();
    const copy = JSON.parse(JSON.stringify(topology)) as unknown;
    assert.equal(isTopologyDefinition(copy), true);
  });

  it('rejects other values', () => {
    const topology = built();
    for (const value of [
      undefined,
      null,
      'word-count',
      () => topology,
      { ...topology, spouts: undefined },
      { ...topology, config: [] },
      { ...topology, bolts: [{ ...topology.bolts[0], kind: 'spout' }] },
      { ...topology, bolts: [{ ...topology.bolts[0], inputs: undefined }] },
      { ...topology, spouts: [{ ...topology.spouts[0], factory: 'not a function' }] },
    ]) {
      assert.equal(isTopologyDefinition(value), false, JSON.stringify(value));
    }
  });
});

describe('defineTopology', () => {
  it('returns the function it is given', async () => {
    const fn = defineTopology(({ args }: TopologyModuleContext) => {
      assert.deepEqual(args, ['3']);
      return built();
    });
    const topology = await fn({ args: ['3'], config: {} });
    assert.equal(topology.name, 't');
  });
});
