import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '../helpers/wait-for.js';
import { assertAllGone, containerProcesses, type E2eCluster, pidFiles } from './e2e-cluster.js';
import type { CensusProcess } from './process-census.js';

const NAME = 'word-count';
/** What word count (parallelism 2, two containers) runs: the scheduler, three executors and their processes. */
const EXPECTED_PROCESSES = [
  'container_1_count_3',
  'container_1_word_1',
  'container_2_count_4',
  'container_2_word_2',
  'executor-0',
  'executor-1',
  'executor-2',
  'metricsmgr-0',
  'metricsmgr-1',
  'metricsmgr-2',
  'scheduler',
  'stmgr-1',
  'stmgr-2',
  'tmanager',
];
const DEADLINE_MS = 90_000;

const names = (processes: readonly CensusProcess[]) => processes.map((p) => p.name).sort();
const pidsByName = (processes: readonly CensusProcess[]) => new Map(processes.map((p) => [p.name, p.pid]));
const instances = (processes: readonly CensusProcess[]) => processes.filter((p) => p.name.startsWith('container_'));

/**
 * The lifecycle a user goes through, on one cluster, through the real `egret` command and real processes: submit
 * with --wait, deactivate and activate, restart a container, change a component's parallelism, kill. The tests of
 * a suite run in order on one topology; each checks what the user sees (exit codes, output), the state (`egret
 * state`) and the processes (/proc), by pid.
 */
export function lifecycleSuite(title: string, cluster: () => E2eCluster): void {
  describe(title, { timeout: 10 * 60_000 }, () => {
    let before: CensusProcess[] = [];
    after(() => cluster().cleanUp());

    it('submit --wait returns once every instance runs, with the processes and state the plan says', async () => {
      const c = cluster();
      await c.submitWordCount();
      const state = await c.state(NAME);
      assert.ok(state?.running, 'the topology node exists');
      const plan = state.nodes.pplans;
      assert.ok(plan, 'a physical plan is published');
      assert.equal(plan.topology.state, 'RUNNING');
      assert.equal(plan.instances.length, 4);
      assert.deepEqual(plan.stmgrs.map((s) => s.id).sort(), ['stmgr-1', 'stmgr-2']);
      before = c.processes();
      assert.deepEqual(names(before), EXPECTED_PROCESSES);
      // The physical plan names the stream managers that run, by pid.
      const pids = pidsByName(before);
      for (const stmgr of plan.stmgrs) assert.equal(stmgr.pid, pids.get(stmgr.id), `${stmgr.id}'s pid in the physical plan`);
    });

    it('deactivate pauses the topology and activate resumes it, in the physical plan', async () => {
      const c = cluster();
      const deactivate = await c.egret(['deactivate', c.cluster, NAME]);
      assert.equal(deactivate.status, 0, deactivate.stderr);
      await c.physicalPlan(NAME, 'PAUSED', (plan) => plan.topology.state === 'PAUSED', DEADLINE_MS);
      assert.equal((await c.state(NAME))?.nodes.topologies?.state, 'PAUSED', 'the topology node says PAUSED too');
      const activate = await c.egret(['activate', c.cluster, NAME]);
      assert.equal(activate.status, 0, activate.stderr);
      await c.physicalPlan(NAME, 'RUNNING', (plan) => plan.topology.state === 'RUNNING', DEADLINE_MS);
      assert.deepEqual(pidsByName(c.processes()), pidsByName(before), 'no process was restarted');
    });

    it('restart of container 1 gives its executor and every process of it new pids; the topology runs again', async () => {
      const c = cluster();
      const old = containerProcesses(before, 1);
      assert.equal(old.length, 5, 'executor-1, stmgr-1, metricsmgr-1 and two instances');
      const others = before.filter((p) => !old.includes(p));
      const run = await c.egret(['restart', c.cluster, NAME, '1']);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /restarted container 1 of word-count/);
      assertAllGone(old, 'the old processes of container 1');
      const now = await waitFor('container 1 to run its five processes again', () => (containerProcesses(c.processes(), 1).length === 5 ? containerProcesses(c.processes(), 1) : undefined), DEADLINE_MS, 100);
      assert.deepEqual(names(now), names(old));
      for (const p of now) assert.ok(!old.some((o) => o.pid === p.pid), `${p.name} has a new pid`);
      assert.deepEqual(pidsByName(c.processes().filter((p) => !now.some((n) => n.pid === p.pid))), pidsByName(others), 'the other containers kept their processes');
      const stmgr1 = now.find((p) => p.name === 'stmgr-1');
      await c.physicalPlan(NAME, 'the restarted stmgr-1 and every instance', (plan) => plan.instances.length === 4 && plan.stmgrs.some((s) => s.id === 'stmgr-1' && s.pid === stmgr1?.pid), DEADLINE_MS);
      before = c.processes();
    });

    it('update --component-parallelism changes the plan and the instances that run, and the topology runs', async () => {
      const c = cluster();
      const run = await c.egret(['update', c.cluster, NAME, '--component-parallelism', 'count:3']);
      assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
      const plan = await c.physicalPlan(NAME, 'five instances, RUNNING', (p) => p.instances.length === 5 && p.topology.state === 'RUNNING', DEADLINE_MS);
      assert.equal(plan.instances.filter((i) => i.info.componentName === 'count').length, 3);
      const counts = await waitFor('three count instances and two word instances to run', () => {
        const running = instances(c.processes());
        return running.length === 5 ? running : undefined;
      }, DEADLINE_MS, 100);
      assert.equal(counts.filter((p) => p.name.includes('_count_')).length, 3);
      // Every instance of the plan runs as a process of that name.
      assert.deepEqual(names(counts), plan.instances.map((i) => i.instanceId).sort());
      before = c.processes();
    });

    it('kill stops every process (checked by pid) and deletes the state; the working directory keeps the logs only', async () => {
      const c = cluster();
      const running = c.processes();
      assert.ok(running.length >= 14);
      const run = await c.egret(['kill', c.cluster, NAME]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /killed word-count: every process stopped, its state deleted/);
      // kill returns once every process is gone: no waiting here.
      assertAllGone(running, 'egret kill returned');
      assert.deepEqual(c.processes(), []);
      assert.equal(await c.state(NAME), undefined, 'no state node of the topology is left');
      assert.deepEqual(await c.running(), []);
      // schedulers/local/README.md: the working directory stays, with every process's log, and no pid file.
      const dir = c.workingDirectory(NAME, userInfo().username);
      assert.ok(existsSync(join(dir, 'logs', 'scheduler.log')), 'the scheduler log stays');
      assert.ok(readdirSync(join(dir, 'container-1', 'logs')).includes('stmgr-1.log'), 'the executors keep their processes logs');
      assert.deepEqual(pidFiles(dir), [], 'no pid file is left');
    });
  });
}
