// Processes of a running topology that die, end to end on the local cluster: an executor SIGKILLed is started again
// by the scheduler process, and the topology runs again; with the scheduler process SIGKILLed, `egret kill` still
// stops every process (finding them by their pid files, in library mode) and deletes the state.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { waitFor } from '../helpers/wait-for.js';
import { assertAllGone, containerProcesses, E2eCluster } from './e2e-cluster.js';

const cluster = new E2eCluster('local');
const NAME = 'word-count';
const DEADLINE_MS = 90_000;

describe('processes of a running topology that die', { timeout: 5 * 60_000 }, () => {
  after(() => cluster.cleanUp());

  it('an executor killed by SIGKILL is started again, with its processes, and the topology runs again', async () => {
    await cluster.submitWordCount();
    const old = containerProcesses(cluster.processes(), 2);
    const executor = old.find((p) => p.name === 'executor-2');
    assert.ok(executor, 'executor-2 runs');
    process.kill(executor.pid, 'SIGKILL');
    // Its children watch its IPC channel and leave with it (runtime/executor/README.md: no orphans).
    await waitFor('the processes of the killed executor to go', () => old.every((p) => !cluster.processes().some((q) => q.pid === p.pid)), DEADLINE_MS, 50);
    const now = await waitFor(
      'container 2 to run its five processes again',
      () => {
        const running = containerProcesses(cluster.processes(), 2);
        return running.length === 5 ? running : undefined;
      },
      DEADLINE_MS,
      100,
    );
    assert.deepEqual(now.map((p) => p.name).sort(), old.map((p) => p.name).sort());
    const stmgr2 = now.find((p) => p.name === 'stmgr-2');
    await cluster.physicalPlan(NAME, 'the new stmgr-2 and every instance', (plan) => plan.instances.length === 4 && plan.stmgrs.some((s) => s.id === 'stmgr-2' && s.pid === stmgr2?.pid), DEADLINE_MS);
  });

  it('with the scheduler process killed by SIGKILL, egret kill still stops every process and deletes the state', async () => {
    const running = cluster.processes();
    const scheduler = running.find((p) => p.name === 'scheduler');
    assert.ok(scheduler, 'the scheduler process runs');
    process.kill(scheduler.pid, 'SIGKILL');
    await waitFor('the scheduler process to go', () => !cluster.processes().some((p) => p.pid === scheduler.pid), DEADLINE_MS, 50);
    const run = await cluster.egret(['kill', 'local', NAME]);
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    assertAllGone(running, 'egret kill returned');
    assert.deepEqual(cluster.processes(), []);
    assert.equal(await cluster.state(NAME), undefined);
  });
});
