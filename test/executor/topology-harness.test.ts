import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { unpackTopologyPackage } from '../../core/package/package-reader.js';
import { packingPlanFromProto, ProtoPhysicalPlan } from '../../core/proto/index.js';
import { isRunning } from '../../runtime/executor/process-liveness.js';
import { tempDir } from '../helpers/temp-dir.js';
import { DEADLINE_MS, dummyHarness, waitForContainer } from './executor-fixture.js';

describe('TopologyHarness', () => {
  it('packs with the real plugin, builds the package and writes topology, packing plan and execution state', async () => {
    const { harness } = await dummyHarness({ containers: 3, config: { 'topology.message.timeout.secs': 7 } });
    const { state } = harness.topology;
    assert.equal((await state.get('topologies', 'tiny')).id, harness.topologyId);
    const plan = packingPlanFromProto(await state.get('packingplans', 'tiny'));
    assert.deepEqual(plan.containers.map((c) => c.id), [1, 2, 3], 'round-robin over topology.stmgrs containers');
    assert.deepEqual(plan.containers.flatMap((c) => c.instances.map((i) => i.taskId)).sort(), [1, 2, 3, 4]);
    assert.deepEqual(harness.containers, [0, 1, 2, 3]);
    const execution = await state.get('executionstate', 'tiny');
    assert.deepEqual([execution.topologyId, execution.cluster, execution.environ], [harness.topologyId, 'local', 'default']);

    const unpacked = await unpackTopologyPackage(harness.topology.packageFile, join(tempDir(), 'package'));
    assert.equal(unpacked.manifest.topologyId, harness.topologyId);
    assert.equal(unpacked.config['egret.statemgr.localfs.root'], harness.topology.stateRoot);
    assert.equal(unpacked.config['topology.message.timeout.secs'], 7);
    assert.equal(unpacked.config['egret.executor.restart.backoff.min.ms'], 100);
  });

  it('takes another packing plugin', async () => {
    const { harness } = await dummyHarness({ packing: 'ffd', config: { 'topology.container.max.ram': '4GiB' } });
    assert.ok(harness.plan.containers.length >= 1);
    assert.equal(harness.topology.config.get('egret.packing'), 'ffd');
  });

  it('waits for the physical plan with a deadline', async () => {
    const { harness } = await dummyHarness();
    await assert.rejects(harness.waitForPhysicalPlan({ deadlineMs: 300 }), /timed out after 300 ms waiting for the physical plan/);
    const written = harness.topology.state.set('pplans', 'tiny', ProtoPhysicalPlan.create({ topology: { id: harness.topologyId, name: 'tiny', state: 1 } }));
    const plan = await harness.waitForPhysicalPlan({ accept: (p) => p.topology?.id === harness.topologyId, deadlineMs: DEADLINE_MS });
    await written;
    assert.equal(plan.topology?.name, 'tiny');
  });

  it('finds a process by name, SIGKILLs it and waits for its restart', async () => {
    const { harness } = await dummyHarness();
    harness.startExecutor(2);
    const pids = await waitForContainer(harness, 2);
    const instance = [...pids.keys()].find((name) => name.startsWith('container_2_')) as string;
    const restarted = await harness.killAndAwaitRestart(instance);
    assert.notEqual(restarted, pids.get(instance));
    assert.equal(isRunning(pids.get(instance) as number), false);
    assert.equal(harness.readLog(instance).match(/\] start \d+ of /g)?.length, 2);
    assert.deepEqual(new Set(harness.childPids().keys()), new Set([...pids.values(), restarted]));
  });

  it('names and kills the children an executor left behind when stopped', async () => {
    const { harness, behave } = await dummyHarness();
    behave({ 'stmgr-1': { ignoreDisconnect: true } });
    harness.startExecutor(1);
    const stuck = (await waitForContainer(harness, 1)).get('stmgr-1') as number;
    await harness.killExecutor(1, 'SIGKILL');
    await assert.rejects(harness.stop({ deadlineMs: 2000 }), new RegExp(`children left behind: stmgr-1 \\(pid ${stuck}\\)`));
    assert.equal(isRunning(stuck), false, 'the harness killed it');
    assert.match(readFileSync(join(harness.workingDir(1), 'logs', 'stmgr-1.log'), 'utf8'), /IPC channel closed \(ignored\)/);
    rmSync(harness.root, { recursive: true, force: true });
  });
});
