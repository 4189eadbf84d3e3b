import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProtoTopology } from '../../core/proto/index.js';
import { createPackingPlan, type ContainerPlan, type PackingPlan } from '../../core/spi/packing-plan.js';
import { isRunning } from '../../runtime/executor/process-liveness.js';
import { waitFor } from '../helpers/wait-for.js';
import { DEADLINE_MS, dummyHarness, waitForAllGone, waitForContainer } from './executor-fixture.js';

/** `plan` with the instances of task `taskId` moved to container `to` and the containers left empty dropped. */
function moveTask(plan: PackingPlan, taskId: number, to: number): PackingPlan {
  const moved = plan.containers.flatMap((c) => c.instances).find((i) => i.taskId === taskId);
  assert.ok(moved, `task ${taskId} is in the plan`);
  const containers: ContainerPlan[] = plan.containers
    .map((c) => ({ ...c, instances: [...c.instances.filter((i) => i.taskId !== taskId), ...(c.id === to ? [moved] : [])] }))
    .filter((c) => c.instances.length > 0);
  return createPackingPlan(plan.id, containers);
}

function taskOf(name: string): number {
  return Number(name.split('_').at(-1));
}

describe('egret-executor following the packing plan', () => {
  it('starts the instances a new plan adds to its container and stops those it removes, leaving the rest alone', async () => {
    const { harness } = await dummyHarness();
    harness.startExecutor(1);
    harness.startExecutor(2);
    const before1 = await waitForContainer(harness, 1);
    const before2 = await waitForContainer(harness, 2);
    const leaving = [...before2.keys()].find((name) => name.startsWith('container_2_')) as string;
    const arriving = leaving.replace('container_2_', 'container_1_');

    await harness.setPackingPlan(moveTask(harness.plan, taskOf(leaving), 1));
    assert.deepEqual(harness.processNames(1).sort(), [...before1.keys(), arriving].sort());
    await harness.waitForProcess(arriving);
    await waitForAllGone([before2.get(leaving) as number], `${leaving}, no longer in container 2`);
    await waitFor(`${leaving}'s pid file to go`, () => !existsSync(join(harness.workingDir(2), 'pids', `${leaving}.pid`)), DEADLINE_MS);

    for (const [name, pid] of [...before1, ...before2].filter(([name]) => name !== leaving)) assert.equal(harness.pidOf(name), pid, `${name} kept running`);
    assert.match(harness.readLog(leaving), /killed by SIGTERM: stopped by the executor|exited with code 0: stopped by the executor/);
    const applied = (container: number) =>
      harness
        .executorLog(container)
        .split('\n')
        .filter((line) => line.includes('applied the packing plan'))
        .map((line) => JSON.parse(line) as { started: string[]; stopped: string[] })
        .at(-1);
    await waitFor('both executors to log the change', () => applied(1)?.started.includes(arriving) && applied(2)?.stopped.includes(leaving), DEADLINE_MS);
    assert.deepEqual(applied(1), { ...applied(1), started: [arriving], stopped: [] });
    assert.deepEqual(applied(2), { ...applied(2), started: [], stopped: [leaving] });
  });

  it('stops everything and exits 0 when its container leaves the plan', async () => {
    const { harness } = await dummyHarness();
    harness.startExecutor(1);
    harness.startExecutor(2);
    await waitForContainer(harness, 1);
    const gone = await waitForContainer(harness, 2);
    let plan = harness.plan;
    for (const name of gone.keys()) if (name.startsWith('container_2_')) plan = moveTask(plan, taskOf(name), 1);
    await harness.setPackingPlan(plan);
    assert.deepEqual(
      plan.containers.map((c) => c.id),
      [1],
    );
    const exit = await harness.executor(2).exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    for (const [name, pid] of gone) assert.equal(isRunning(pid), false, `${name} is gone when the executor exits`);
    assert.match(harness.executorLog(2), /"reason":"container 2 left the packing plan"/);
    await waitForContainer(harness, 1);
  });

  it('exits 1 with a clear message when it cannot start: a container not in the plan, a package it cannot fetch, another submission', async () => {
    const { harness } = await dummyHarness();
    const first = harness.startExecutor(7);
    assert.deepEqual(await first.exited, { code: 1, signal: null });
    assert.match(harness.executorLog(7), /container 7 is not in the packing plan of 'tiny' \(containers: 1, 2\)/);

    await harness.topology.state.set('topologies', 'tiny', ProtoTopology.create({ ...(await harness.topology.state.get('topologies', 'tiny')), id: 'tiny-resubmitted' }));
    const stale = harness.startExecutor(1);
    assert.deepEqual(await stale.exited, { code: 1, signal: null });
    assert.match(harness.executorLog(1), new RegExp(`the package is of submission ${harness.topologyId}, but the running topology 'tiny' is submission tiny-resubmitted`));
  });
});

describe('egret-executor command line', () => {
  it('exits 2 with its usage for a bad command line, and 1 naming the URI for a package it cannot fetch', async () => {
    const { spawnSync } = await import('node:child_process');
    const { DUMMY_EXECUTOR } = await import('./executor-fixture.js');
    const { tempDir } = await import('../helpers/temp-dir.js');
    const usage = spawnSync(process.execPath, [DUMMY_EXECUTOR, '--container', 'one'], { encoding: 'utf8', timeout: DEADLINE_MS });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /egret-executor: --package-uri is required\nusage: egret-executor --package-uri URI --container C --working-dir DIR/);
    const dir = tempDir();
    const missing = spawnSync(process.execPath, [DUMMY_EXECUTOR, '--package-uri', `file://${dir}/none.tar.gz`, '--container', '1', '--working-dir', join(dir, 'w')], { encoding: 'utf8', timeout: DEADLINE_MS });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /fetching the topology package file:\/\/.*none\.tar\.gz failed: .*not found/);
  });
});
