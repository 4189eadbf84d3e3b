import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { METRICS_MANAGER_NICENESS } from '../../runtime/executor/container-processes.js';
import { waitFor } from '../helpers/wait-for.js';
import { DEADLINE_MS, dummyHarness, waitForContainer } from './executor-fixture.js';

describe('egret-executor and the metrics manager', () => {
  it('starts metricsmgr-<c> in every container, container 0 included, with its package, container and working directory', async () => {
    const { harness } = await dummyHarness();
    harness.startExecutors();
    for (const container of harness.containers) {
      const pids = await waitForContainer(harness, container);
      const name = `metricsmgr-${container}`;
      assert.ok(pids.has(name), `${name} runs in container ${container}: ${[...pids.keys()].join(', ')}`);
      const work = harness.workingDir(container);
      const args = ['metricsmgr', '--package-dir', join(work, 'package'), '--container', String(container), '--working-dir', work];
      await waitFor(`${name} to print its arguments`, () => harness.readLog(name).includes(`args=${JSON.stringify(args)} restarts=0`), DEADLINE_MS);
    }
    assert.ok(harness.processNames(0).includes('tmanager'), 'beside the topology manager');
  });

  it('runs the metrics manager at a lower CPU priority than the data path (the lowest, nice 19)', async () => {
    const { harness } = await dummyHarness();
    harness.startExecutor(1);
    const pids = await waitForContainer(harness, 1);
    // /proc/<pid>/stat: the 19th field is the nice value (counted after the command, which may hold spaces).
    const nice = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const executor = nice(harness.executor(1).process.pid!);
    assert.equal(nice(pids.get('metricsmgr-1')!), Math.min(19, executor + METRICS_MANAGER_NICENESS));
    assert.equal(nice(pids.get('stmgr-1')!), executor, 'the stream manager keeps the executor’s priority');
  });

  it('tells every process how many times it was restarted (EGRET_RESTART_COUNT)', async () => {
    const { harness } = await dummyHarness();
    harness.startExecutor(1);
    await waitForContainer(harness, 1);
    const counts = () => [...harness.readLog('metricsmgr-1').matchAll(/^dummy metricsmgr-1 pid=\d+ args=.* restarts=(\S+)$/gm)].map((m) => m[1]);
    for (const starts of [1, 2, 3]) {
      // Killed only once it has said what it got: a child killed while Node starts prints nothing.
      await waitFor(`start ${starts} to print its restart count`, () => counts().length === starts, DEADLINE_MS);
      if (starts < 3) await harness.killAndAwaitRestart('metricsmgr-1');
    }
    assert.deepEqual(counts(), ['0', '1', '2']);
    const stmgr = [...harness.readLog('stmgr-1').matchAll(/restarts=(\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual(stmgr, ['0'], 'a process never restarted gets 0');
  });
});
