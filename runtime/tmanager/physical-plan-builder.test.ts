import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heron, topologyToProto } from '../../core/proto/index.js';
import { sampleTopology } from '../../test/helpers/sample-topology.js';
import { buildPhysicalPlan, initialTopologyState, PhysicalPlanError, stateOfPlan } from './physical-plan-builder.js';
import { containerOfStmgrId, defaultLocalEndpoint, instanceIdOf, stmgrIdOf } from '../common/runtime-ids.js';

import system = heron.proto.system;

const topology = topologyToProto(sampleTopology(), { id: 'sample-1' });

function stmgr(container: number): system.StMgr.$Properties {
  return { id: stmgrIdOf(container), hostName: '127.0.0.1', dataPort: 5000 + container, localEndpoint: defaultLocalEndpoint('sample-1', container), pid: 100 + container };
}

function instance(container: number, component: string, taskId: number, componentIndex: number): system.Instance.$Properties {
  return { instanceId: instanceIdOf(container, component, taskId), stmgrId: stmgrIdOf(container), info: { taskId, componentIndex, componentName: component } };
}

const instances = [instance(2, 'bolt', 4, 1), instance(1, 'spout', 1, 0), instance(2, 'spout', 2, 1), instance(1, 'bolt', 3, 0)];

describe('buildPhysicalPlan', () => {
  it('stitches the topology with the live state, stream managers by container and instances by task', () => {
    const plan = buildPhysicalPlan({ topology, state: 'PAUSED', stmgrs: [stmgr(10), stmgr(2), stmgr(1)], instances: [...instances, instance(10, 'bolt', 5, 2)] });
    assert.deepEqual(
      plan.stmgrs.map((s) => s.id),
      ['stmgr-1', 'stmgr-2', 'stmgr-10'],
    );
    assert.deepEqual(
      plan.instances.map((i) => [i.instanceId, i.info.taskId, i.info.componentIndex, i.info.componentName]),
      [
        ['container_1_spout_1', 1, 0, 'spout'],
        ['container_2_spout_2', 2, 1, 'spout'],
        ['container_1_bolt_3', 3, 0, 'bolt'],
        ['container_2_bolt_4', 4, 1, 'bolt'],
        ['container_10_bolt_5', 5, 2, 'bolt'],
      ],
    );
    assert.equal(plan.topology.state, heron.proto.api.TopologyState.PAUSED);
    assert.equal(stateOfPlan(plan), 'PAUSED');
    assert.equal(topology.state, heron.proto.api.TopologyState.RUNNING, 'the caller’s topology keeps its state');
    assert.equal(plan.topology.id, 'sample-1');
    assert.deepEqual(system.PhysicalPlan.decode(system.PhysicalPlan.encode(plan).finish()).stmgrs[0]?.localEndpoint, 'unix-abstract:egret/sample-1/stmgr-1');
  });

  it('refuses registrations that cannot make a plan', () => {
    const build = (parts: { stmgrs?: system.StMgr.$Properties[]; instances?: system.Instance.$Properties[] }) => () =>
      buildPhysicalPlan({ topology, state: 'RUNNING', stmgrs: parts.stmgrs ?? [stmgr(1), stmgr(2)], instances: parts.instances ?? instances });
    assert.throws(build({ stmgrs: [stmgr(1), stmgr(1), stmgr(2)] }), (e) => e instanceof PhysicalPlanError && /stmgr-1 appears twice/.test(e.message));
    assert.throws(build({ instances: [...instances, instance(1, 'bolt', 3, 5)] }), /task 3 appears twice/);
    assert.throws(build({ stmgrs: [stmgr(1)] }), /belongs to stmgr-2, which did not register/);
    assert.throws(build({ instances: [...instances, instance(1, 'nope', 9, 0)] }), /component 'nope', which the topology does not have/);
    assert.throws(build({ instances: instances.filter((i) => i.info.componentName !== 'bolt') }), /no instance of 'bolt'/);
  });
});

describe('initialTopologyState', () => {
  const paused = heron.proto.api.Topology.create({ ...topology, state: heron.proto.api.TopologyState.PAUSED });
  const planOf = (t: heron.proto.api.Topology) => system.PhysicalPlan.create({ topology: t, stmgrs: [], instances: [] });

  it('follows the topology node without a previous plan', () => {
    assert.equal(initialTopologyState(topology, undefined), 'RUNNING');
    assert.equal(initialTopologyState(paused, undefined), 'PAUSED');
  });

  it('follows a previous plan of the same submission, and ignores one of another', () => {
    assert.equal(initialTopologyState(topology, planOf(paused)), 'PAUSED');
    assert.equal(initialTopologyState(paused, planOf(topology)), 'RUNNING');
    const otherSubmission = heron.proto.api.Topology.create({ ...paused, id: 'sample-0' });
    assert.equal(initialTopologyState(topology, planOf(otherSubmission)), 'RUNNING');
  });
});

describe('runtime ids', () => {
  it('names stream managers and instances as Heron does', () => {
    assert.equal(stmgrIdOf(3), 'stmgr-3');
    assert.equal(containerOfStmgrId('stmgr-12'), 12);
    assert.equal(containerOfStmgrId('stmgr-x'), undefined);
    assert.equal(instanceIdOf(2, 'split', 7), 'container_2_split_7');
  });
});
