import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TopologyError } from '../../api/topology-error.js';
import { sampleTopology } from '../../test/helpers/sample-topology.js';
import { Config, layerOf } from '../config/config.js';
import { effectiveTopology } from './effective-topology.js';

const cluster = (values: Record<string, number | string>, cli: Record<string, number | string> = {}) =>
  new Config([layerOf({ kind: 'file', file: '/conf/c/client.yaml' }, values), layerOf({ kind: 'command-line' }, cli)]);

describe('effectiveTopology', () => {
  it('layers cluster files < the topology < --config-property for topology keys', () => {
    const topology = sampleTopology({ 'topology.stmgrs': 2, 'topology.max.spout.pending': 50, 'my.key': 'mine' });
    const result = effectiveTopology(topology, cluster({ 'topology.stmgrs': 4, 'topology.message.timeout.secs': 60, 'egret.packing': 'x' }, { 'topology.max.spout.pending': 10 }), '/t.ts');
    assert.deepEqual(result.topology.config, { 'my.key': 'mine', 'topology.max.spout.pending': 10, 'topology.message.timeout.secs': 60, 'topology.stmgrs': 2 });
    assert.equal(result.config.describeSource('topology.stmgrs'), 'topology /t.ts');
    assert.equal(result.config.get('egret.packing'), 'x');
  });

  it('names where a bad topology value came from', () => {
    assert.throws(
      () => effectiveTopology(sampleTopology(), cluster({}, { 'topology.reliability.mode': 'SOMETIMES' })),
      (e: TopologyError) => e.code === 'TOPOLOGY_CONFIG_INVALID' && e.message.includes('--config-property: topology.reliability.mode: expected one of ATMOST_ONCE, ATLEAST_ONCE, EFFECTIVELY_ONCE, got "SOMETIMES"'),
    );
  });

  it('warns about topology keys Egret does not know, suggesting the one meant', () => {
    const result = effectiveTopology(sampleTopology({ 'topology.stmrgs': 2 }), cluster({}), '/t.ts');
    assert.deepEqual(result.warnings, ["topology /t.ts: topology.stmrgs is not a topology key Egret knows (did you mean 'topology.stmgrs'?)"]);
  });
});
