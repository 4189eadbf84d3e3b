// What `egret` refuses, end to end on the local cluster: a submit of a name already running, and every runtime
// command aimed at a topology that is not running, or that runs under another role or environment. Each refusal
// exits 5 (README: the operation failed) with a message saying why, and changes nothing: the same processes (by
// pid) and the same state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { E2eCluster, WORD_COUNT } from './e2e-cluster.js';
import type { CensusProcess } from './process-census.js';

const cluster = new E2eCluster('local');
const NAME = 'word-count';
const RUNS_AT = 'local/alice/staging';

describe('refusals, with word count running as alice in staging', { timeout: 5 * 60_000 }, () => {
  let processes: CensusProcess[] = [];
  let listed: Awaited<ReturnType<E2eCluster['running']>> = [];

  before(async () => {
    await cluster.submitWordCount({ target: RUNS_AT });
    processes = cluster.processes();
    assert.equal(processes.length, 14);
    listed = await cluster.running();
    assert.deepEqual(listed.map((t) => `${t.topology} ${t.role} ${t.environment}`), [`${NAME} alice staging`]);
  });
  after(() => cluster.cleanUp());

  /** Nothing changed: the same processes alive under the same pids, the same submission in the state, RUNNING. */
  async function assertUnchanged(): Promise<void> {
    assert.deepEqual(cluster.processes(), processes, 'the same processes, by pid');
    assert.deepEqual(await cluster.running(), listed, 'the same submission in the state');
    assert.equal((await cluster.state(NAME))?.nodes.pplans?.topology.state, 'RUNNING');
  }

  it('refuses a submit of the name that runs, whatever the role, naming where it runs', async () => {
    for (const target of ['local', RUNS_AT]) {
      const run = await cluster.egret(['submit', target, WORD_COUNT]);
      assert.equal(run.status, 5, `${target}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /^egret: topology 'word-count' is already running on local\/alice\/staging, submitted by \S+ at \S+; kill it first/m);
    }
    await assertUnchanged();
  });

  it('refuses kill, activate, deactivate, restart and update aimed at another role or environment', async () => {
    for (const target of ['local', 'local/alice', 'local/bob/staging']) {
      const asked = target === 'local' ? /not local\/\S+\/default/ : target === 'local/alice' ? /not local\/alice\/default/ : /not local\/bob\/staging/;
      for (const command of [['kill'], ['activate'], ['deactivate'], ['restart'], ['update', '--component-parallelism', 'count:3']]) {
        const run = await cluster.egret([command[0] ?? '', target, NAME, ...command.slice(1)]);
        assert.equal(run.status, 5, `${command[0]} ${target}: ${run.stdout}${run.stderr}`);
        assert.match(run.stderr, /^egret: topology 'word-count' is running at local\/alice\/staging, /m);
        assert.match(run.stderr, asked);
      }
    }
    await assertUnchanged();
  });

  it('refuses kill, activate, deactivate and restart of a topology that does not run, naming the ones that do', async () => {
    for (const command of ['kill', 'activate', 'deactivate', 'restart']) {
      const run = await cluster.egret([command, RUNS_AT, 'no-such-topology']);
      assert.equal(run.status, 5, `${command}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /^egret: no topology named 'no-such-topology' is running on cluster 'local' \(running: word-count\)$/m);
    }
    await assertUnchanged();
  });

  it('kills it when asked with its own role and environment', async () => {
    const run = await cluster.egret(['kill', RUNS_AT, NAME]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(cluster.processes(), []);
    assert.deepEqual(await cluster.running(), []);
  });
});
