import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { TopologyList, TopologyStatus } from '../../core/submit/topology-status-types.js';
import { REPO_ROOT } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// `egret status` and `egret list` against the word-count example really running on the `local` cluster (the
// local scheduler, executors, topology manager, stream managers, instances), under a temporary HOME so the state,
// packages and working directories are this test's alone.
const HOME = tempDir();
const EGRET = resolve(REPO_ROOT, 'dist', 'bin', 'egret.js');
/** Generous: the processes of two containers starting on a busy 2-core machine. */
const DEADLINE_MS = 150_000;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `egret` without blocking the test's event loop, killing it after `timeoutMs`. */
function egret(args: readonly string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [EGRET, ...args], { cwd: REPO_ROOT, env: { ...process.env, HOME }, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ status, stdout, stderr });
    });
  });
}

async function json<T>(args: readonly string[]): Promise<T> {
  const run = await egret([...args, '--format', 'json']);
  assert.equal(run.status, 0, `egret ${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** The pids of processes whose command line names this test's HOME: everything the topology started. */
function processesOfThisHome(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(HOME)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

describe('egret status and egret list with a topology running on the local cluster', () => {
  it('shows it running with its containers and moving counts, paused after deactivate, and gone after kill', { timeout: 6 * DEADLINE_MS }, async () => {
    let killed = false;
    try {
      const submit = await egret(['submit', 'local', 'examples/word-count/word-count-topology.ts', '--wait', '--wait-timeout', String(DEADLINE_MS / 1000), '--config-property', 'egret.metrics.interval.ms=200'], DEADLINE_MS + 30_000);
      assert.equal(submit.status, 0, `submit: ${submit.stdout}\n${submit.stderr}`);

      const running = await json<TopologyStatus>(['status', 'local', 'word-count']);
      assert.equal(running.topology, 'word-count');
      assert.equal(running.state, 'RUNNING');
      assert.equal(running.cluster, 'local');
      assert.deepEqual(running.containers.map((c) => [c.id, c.stmgr?.id, c.instances.length]), [[1, 'stmgr-1', 2], [2, 'stmgr-2', 2]]);
      assert.ok(running.containers.every((c) => c.instances.every((i) => i.running)), 'every instance is in the physical plan');
      assert.deepEqual(running.components.map((c) => [c.name, c.kind, c.parallelism]), [['word', 'spout', 2], ['count', 'bolt', 2]]);

      const moving = await waitFor('the spout to have emitted and the bolt executed, per the metrics cache', async () => {
        const status = await json<TopologyStatus>(['status', 'local', 'word-count']);
        const [word, count] = status.components;
        return status.metrics.available && (word?.emitted ?? 0) > 0 && (count?.executed ?? 0) > 0 ? status : undefined;
      }, DEADLINE_MS, 500);
      assert.deepEqual(moving.exceptions, [], 'word count raises no user error');

      const table = await egret(['status', 'local', 'word-count']);
      assert.equal(table.status, 0, table.stderr);
      assert.match(table.stdout, /^word-count on local\/[^/]+\/default: RUNNING\n/);
      assert.match(table.stdout, /\nword\s+spout\s+2\s+[1-9]\d*\s/);
      process.stdout.write(`# egret status local word-count:\n${table.stdout.replace(/^/gm, '#   ')}\n`);

      const listed = await json<TopologyList>(['list', 'local']);
      assert.deepEqual(listed.topologies.map((t) => [t.topology, t.state, t.containers, t.instances, t.instancesRunning]), [['word-count', 'RUNNING', 2, 4, 4]]);

      const deactivate = await egret(['deactivate', 'local', 'word-count']);
      assert.equal(deactivate.status, 0, deactivate.stderr);
      await waitFor('status to say PAUSED', async () => (await json<TopologyStatus>(['status', 'local', 'word-count'])).state === 'PAUSED', DEADLINE_MS, 250);
      assert.equal((await json<TopologyList>(['list', 'local'])).topologies[0]?.state, 'PAUSED');

      const kill = await egret(['kill', 'local', 'word-count'], DEADLINE_MS);
      assert.equal(kill.status, 0, kill.stderr);
      killed = true;
      assert.deepEqual((await json<TopologyList>(['list', 'local'])).topologies, []);
      const gone = await egret(['status', 'local', 'word-count']);
      assert.equal(gone.status, 5);
      assert.equal(gone.stdout, '');
      assert.match(gone.stderr, /^egret: no topology named 'word-count' is running on cluster 'local' \(running: none\)\n$/);
      assert.deepEqual(processesOfThisHome(), [], 'no process of the topology is left');
    } finally {
      if (!killed) await egret(['kill', 'local', 'word-count'], DEADLINE_MS);
      // The last resort, should kill have failed: the processes this test started, by pid.
      for (const pid of processesOfThisHome()) process.kill(pid, 'SIGKILL');
    }
  });
});
