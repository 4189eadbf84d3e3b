import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FakeStmgr, type Key, type ReceivedTuple, type Root, type TrackedTuple } from '../helpers/fake-stmgr.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildInstancePackage, startInstance } from './instance-harness.js';
import { TEST_TOPOLOGY_SOURCE } from './test-topology.js';

/** Task 3, the second task of `sink`, under `mode`. */
async function boltSetup(mode: 'ATLEAST_ONCE' | 'ATMOST_ONCE' = 'ATLEAST_ONCE') {
  const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, { 'topology.reliability.mode': mode });
  const stmgr = await FakeStmgr.start({ topology: pkg.topology, topologyId: pkg.topologyId });
  after(() => stmgr.close());
  const task = stmgr.task('sink', 1);
  startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task });
  await waitFor('prepare', () => stmgr.tuplesOn('lifecycle').length > 0, 15_000);
  return { stmgr, task };
}

const spout = { taskId: 1, component: 'numbers' };
const root = (n: number): Root => ({ task: 1, key: [n, -n] });
const tracked = (values: unknown[], key: Key, ...roots: Root[]): TrackedTuple => ({ values, key, roots });
const seen = (stmgr: FakeStmgr): ReceivedTuple[] => stmgr.tuplesOn('seen').filter((t) => t.values[4] === false);
const valueOf = (tuple: ReceivedTuple): unknown => (tuple.values[3] as unknown[])[0];

describe('egret-instance running a bolt under ATLEAST_ONCE', () => {
  it('acks and fails its inputs with AckTuples of their roots and key, and anchors emits to their roots', async () => {
    const { stmgr, task } = await boltSetup();
    stmgr.sendTrackedTuples(task.taskId, spout, [
      tracked(['one'], [11, 1], root(1)),
      tracked(['fail-me'], [12, 0], root(2), { task: 4, key: [-3, 3] }),
      tracked(['untracked'], [0, 0]),
    ]);
    await waitFor('two acks', () => stmgr.acks.length === 2, 10_000);
    await waitFor('two tuples seen', () => seen(stmgr).length === 2, 10_000);
    assert.deepEqual(stmgr.acks, [
      { srcTaskId: 3, acked: true, roots: [root(1)], key: [11, 1] },
      { srcTaskId: 3, acked: false, roots: [root(2), { task: 4, key: [-3, 3] }], key: [12, 0] },
    ]);
    const [one, untracked] = seen(stmgr);
    assert.deepEqual([valueOf(one!), one!.roots, one!.key], ['one', [root(1)], [0, 0]]);
    assert.deepEqual([valueOf(untracked!), untracked!.roots], ['untracked', []], 'no roots, and its ack sends nothing');
  });

  it('anchors an emit to several inputs with the union of their roots, each once', async () => {
    const { stmgr, task } = await boltSetup();
    stmgr.sendTrackedTuples(task.taskId, spout, [tracked(['hold'], [1, 0], root(1), root(2)), tracked(['hold'], [2, 0], root(2), root(3))]);
    stmgr.sendTrackedTuples(task.taskId, spout, [tracked(['join'], [3, 0], root(4), root(1))]);
    await waitFor('the joined tuple', () => seen(stmgr).length === 1, 10_000);
    assert.deepEqual(seen(stmgr)[0]!.roots, [root(1), root(2), root(3), root(4)]);
    await waitFor('three acks', () => stmgr.acks.length === 3, 10_000);
    assert.deepEqual(
      stmgr.acks.map((a) => a.key),
      [
        [1, 0],
        [2, 0],
        [3, 0],
      ],
    );
  });

  it('writes the data frames of its emits before the control frame acking the inputs they are anchored to', async () => {
    const { stmgr, task } = await boltSetup();
    const total = 20_000;
    for (let first = 0; first < total; first += 2000) {
      stmgr.sendTrackedTuples(
        task.taskId,
        spout,
        Array.from({ length: 2000 }, (_, i) => tracked([first + i], [first + i + 1, 7], root(first + i + 1))),
      );
    }
    await waitFor(`${total} acks`, () => stmgr.acks.length === total, 30_000);
    // Where each anchored emit went out, by its root, and where each ack did.
    const emittedIn = new Map<number, number>();
    const ackedIn = new Map<number, number>();
    stmgr.wire.forEach((frame, index) => {
      if (frame.kind === 'data') for (const tuple of frame.tuples) if (tuple.stream === 'seen') emittedIn.set(tuple.roots[0]!.key[0], index);
      if (frame.kind === 'control') for (const ack of frame.acks) ackedIn.set(ack.roots[0]!.key[0], index);
    });
    assert.equal(ackedIn.size, total);
    const controlFrames = stmgr.wire.filter((f) => f.kind === 'control').length;
    assert.ok(controlFrames < total / 10, `acks are batched (${controlFrames} control frames)`);
    for (const [key, ackFrame] of ackedIn) assert.ok(emittedIn.get(key)! < ackFrame, `the emit anchored to input ${key} precedes its ack`);
  });

  it('under ATMOST_ONCE sends no acks and no roots, whatever its inputs carry', async () => {
    const { stmgr, task } = await boltSetup('ATMOST_ONCE');
    stmgr.sendTrackedTuples(task.taskId, spout, [tracked(['one'], [11, 1], root(1)), tracked(['fail-me'], [12, 0], root(2))]);
    stmgr.sendTuples(task.taskId, spout, [['last']]);
    await waitFor('two tuples seen', () => seen(stmgr).length === 2, 10_000);
    assert.deepEqual(
      seen(stmgr).map((t) => [valueOf(t), t.roots]),
      [
        ['one', []],
        ['last', []],
      ],
    );
    assert.equal(stmgr.wire.filter((f) => f.kind === 'control').length, 0);
  });
});
