import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FakeStmgr, type ReceivedTuple } from '../helpers/fake-stmgr.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildInstancePackage, startInstance, type StartInstanceOptions } from './instance-harness.js';
import { TEST_TOPOLOGY_SOURCE } from './test-topology.js';

/** The second task of `sink` (task 3): task 1 is the spout. */
async function boltSetup(config: Record<string, string | number> = {}, instanceOptions: Partial<StartInstanceOptions> = {}) {
  const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, config);
  const stmgr = await FakeStmgr.start({ topology: pkg.topology, topologyId: pkg.topologyId });
  after(() => stmgr.close());
  const task = stmgr.task('sink', 1);
  const instance = startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task, ...instanceOptions });
  await waitFor('prepare', () => stmgr.tuplesOn('lifecycle').length > 0, 15_000);
  return { stmgr, instance, task };
}

const spout = { taskId: 1, component: 'numbers' };
const seen = (stmgr: FakeStmgr): ReceivedTuple[] => stmgr.tuplesOn('seen').filter((t) => t.values[4] === false);

describe('egret-instance running a bolt', () => {
  it('prepares the bolt with its context, executes what arrives, and sends what it emits', async () => {
    const { stmgr, task } = await boltSetup();
    assert.deepEqual(stmgr.tuplesOn('lifecycle')[0]?.values, ['prepare:sink:1']);
    stmgr.sendTuples(task.taskId, spout, [[1], ['two'], [{ three: [3n] }]]);
    stmgr.sendTuples(task.taskId, { ...spout, stream: 'direct' }, [[4]]);
    stmgr.sendTuples(task.taskId, { ...spout, stream: 'custom' }, [[5]]);
    await waitFor('five tuples executed', () => seen(stmgr).length === 5, 10_000);
    assert.deepEqual(
      seen(stmgr).map((t) => t.values),
      [
        ['numbers', 'default', 1, [1], false],
        ['numbers', 'default', 1, ['two'], false],
        ['numbers', 'default', 1, [{ three: [3n] }], false],
        ['numbers', 'direct', 1, [4], false],
        ['numbers', 'custom', 1, [5], false],
      ],
    );
    assert.ok(seen(stmgr).every((t) => t.srcTaskId === task.taskId && t.component === 'sink'));
  });

  it('executes a large volume across many frames, in order', async () => {
    const { stmgr, task } = await boltSetup();
    const total = 60_000;
    for (let first = 0; first < total; first += 3000) {
      stmgr.sendTuples(
        task.taskId,
        spout,
        Array.from({ length: 3000 }, (_, i) => [first + i]),
      );
    }
    await waitFor(`${total} tuples executed`, () => seen(stmgr).length === total, 30_000);
    assert.ok(seen(stmgr).every((t, i) => (t.values[3] as unknown[])[0] === i));
  });

  it('drops, with one warning, tuples of a stream the bolt does not subscribe to', async () => {
    const { stmgr, task, instance } = await boltSetup();
    stmgr.sendTuples(task.taskId, { ...spout, stream: 'lifecycle' }, [['x']]);
    stmgr.sendTuples(task.taskId, { ...spout, stream: 'lifecycle' }, [['y']]);
    stmgr.sendTuples(task.taskId, spout, [['after']]);
    await waitFor('the tuple after', () => seen(stmgr).length === 1, 10_000);
    const warnings = instance.logs.filter((l) => l.level === 'warn' && /stream 'lifecycle' of 'numbers', which this bolt does not subscribe to/.test(l.message));
    assert.equal(warnings.length, 1);
  });

  it('executes tick tuples every topology.tick.tuple.freq.secs', async () => {
    const { stmgr } = await boltSetup({ 'topology.tick.tuple.freq.secs': 0.1 });
    await waitFor('three ticks', () => stmgr.tuplesOn('seen').filter((t) => t.values[4] === true).length >= 3, 10_000);
    const tick = stmgr.tuplesOn('seen').find((t) => t.values[4] === true);
    assert.deepEqual(tick?.values, ['__system', '__tick', -1, [0.1], true]);
  });

  it('cleans the bolt up on SIGTERM and exits 0', async () => {
    const { stmgr, instance } = await boltSetup({}, { ipc: false });
    instance.child.kill('SIGTERM');
    const { code } = await instance.waitForExit();
    assert.equal(code, 0, instance.output.join('\n'));
    await waitFor('cleanup', () => stmgr.tuplesOn('lifecycle').some((t) => t.values[0] === 'cleanup'), 5_000);
  });

  it('exits non-zero when execute throws, logging the component, task and stack', async () => {
    const { stmgr, task, instance } = await boltSetup();
    stmgr.sendTuples(task.taskId, spout, [['fine'], ['boom'], ['never']]);
    const { code } = await instance.waitForExit();
    assert.equal(code, 1);
    const line = instance.logs.find((l) => l.level === 'error');
    assert.match(line?.message ?? '', /^component 'sink' task 3: execute failed: boom in execute$/);
    assert.equal(line?.['component'], 'sink');
    assert.equal(line?.['task'], 3);
    assert.match(String(line?.['stack']), /boom in execute\n\s+at EchoBolt\.execute/);
  });
});
