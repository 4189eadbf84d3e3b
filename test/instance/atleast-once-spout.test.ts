import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ConfigValue } from '../../api/config-value.js';
import { FakeStmgr, type ReceivedTuple, type Root } from '../helpers/fake-stmgr.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildInstancePackage, startInstance } from './instance-harness.js';
import { progressOf, waitUntilStill } from './spout-progress.js';
import { TEST_TOPOLOGY_SOURCE } from './test-topology.js';

/** The test spout in mode `tracked` under ATLEAST_ONCE: every third number untracked, the others tracked. */
async function trackedSpout(config: Record<string, ConfigValue> = {}) {
  const progressDir = mkdtempSync(join(tmpdir(), 'egret-progress-'));
  const progress = join(progressDir, 'progress');
  const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, {
    'topology.reliability.mode': 'ATLEAST_ONCE',
    'test.spout.mode': 'tracked',
    'test.progress.file': progress,
    ...config,
  });
  const stmgr = await FakeStmgr.start({ topology: pkg.topology, topologyId: pkg.topologyId });
  after(() => stmgr.close());
  const instance = startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task: stmgr.task('numbers') });
  after(() => rmSync(progressDir, { recursive: true, force: true, maxRetries: 3 }));
  const tracked = (): ReceivedTuple[] => stmgr.tuplesOn('tracked');
  const ids = (stream: 'acks' | 'fails'): unknown[] => stmgr.tuplesOn(stream).map((t) => t.values[0]);
  const rootOf = (tuple: ReceivedTuple): Root => {
    assert.equal(tuple.roots.length, 1);
    return tuple.roots[0]!;
  };
  return { stmgr, instance, progress, tracked, ids, rootOf };
}

const sorted = (values: readonly unknown[]): number[] => [...values].map(Number).sort((a, b) => a - b);

describe('egret-instance running a spout under ATLEAST_ONCE', () => {
  it('sends an emit with a message id with a fresh root of its task and key 0, and one without untracked', async () => {
    const { stmgr, tracked } = await trackedSpout({ 'test.spout.limit': 30 });
    await waitFor('30 tuples', () => tracked().length + stmgr.tuplesOn('default').length === 30, 15_000);
    assert.equal(tracked().length, 20);
    for (const tuple of tracked()) {
      assert.deepEqual(tuple.key, [0, 0]);
      assert.equal(tuple.roots.length, 1);
      assert.equal(tuple.roots[0]!.task, 1);
      assert.notDeepEqual(tuple.roots[0]!.key, [0, 0]);
    }
    assert.equal(new Set(tracked().map((t) => t.roots[0]!.key.join())).size, 20, 'roots are distinct');
    for (const tuple of [...stmgr.tuplesOn('default'), ...stmgr.tuplesOn('lifecycle')]) assert.deepEqual([tuple.roots, tuple.key], [[], [0, 0]]);
  });

  it('calls ack and fail with the message ids of the roots the stream manager acks and fails, ignoring unknown roots', async () => {
    const { stmgr, tracked, ids, rootOf } = await trackedSpout({ 'test.spout.limit': 30 });
    await waitFor('20 tracked tuples', () => tracked().length === 20, 15_000);
    const even = tracked().filter((t) => (t.values[0] as number) % 2 === 0);
    const odd = tracked().filter((t) => (t.values[0] as number) % 2 === 1);
    stmgr.sendCompletions(1, { acks: [...even.map(rootOf), { task: 1, key: [12345, 678] }], fails: odd.slice(0, 3).map(rootOf) });
    stmgr.sendCompletions(1, { fails: odd.slice(3).map(rootOf), acks: [rootOf(even[0]!)] });
    await waitFor('every ack and fail', () => ids('acks').length + ids('fails').length >= 20, 10_000);
    assert.deepEqual(sorted(ids('acks')), sorted(even.map((t) => t.values[0])));
    assert.deepEqual(sorted(ids('fails')), sorted(odd.map((t) => t.values[0])));
    // Acks reach the spout in the order the stream manager sent them.
    assert.deepEqual(ids('acks'), even.map((t) => t.values[0]));
  });

  it('fails the roots pending longer than topology.message.timeout.secs, and emits the replays its fail makes', async () => {
    const { stmgr, tracked, ids, rootOf } = await trackedSpout({ 'test.spout.limit': 4, 'topology.message.timeout.secs': 1, 'test.spout.replay': true });
    await waitFor('two tracked tuples', () => tracked().length === 2, 15_000);
    const sentAt = Date.now();
    const [first, second] = tracked().map(rootOf);
    await waitFor('two timeouts', () => ids('fails').length === 2, 5_000);
    const after = Date.now() - sentAt;
    assert.deepEqual(sorted(ids('fails')), [1, 2]);
    // Timeouts are looked for every timeout / 10: between 1 s and 1.1 s after the emit, with slack for a busy machine.
    assert.ok(after >= 900 && after < 2500, `failed ${after} ms after the emits`);
    await waitFor('the replays', () => tracked().length === 4, 5_000);
    const replays = tracked().slice(2);
    assert.deepEqual(sorted(replays.map((t) => t.values[0])), [1, 2]);
    for (const replay of replays) assert.ok(![first, second].some((root) => root!.key.join() === rootOf(replay).key.join()), 'a replay has a fresh root');
    // A late ack of a timed-out root is ignored; the replay's root is acked.
    stmgr.sendCompletions(1, { acks: [first!, second!, ...replays.map(rootOf)] });
    await waitFor('the replays acked', () => ids('acks').length === 2, 5_000);
    assert.deepEqual(sorted(ids('acks')), [1, 2]);
  });

  it('never has more than topology.max.spout.pending message ids in flight, seen from the spout', async () => {
    const { stmgr, tracked, progress, rootOf } = await trackedSpout({ 'test.spout.limit': 120, 'topology.max.spout.pending': 5 });
    await waitFor('five tracked tuples', () => tracked().length === 5, 15_000);
    const stoppedAt = await waitUntilStill(progress, 300, 5_000);
    assert.equal(tracked().length, 5, 'nextTuple is not called at the bound');
    assert.equal(stmgr.tuplesOn('default').length, stoppedAt - 5, 'and not at all: untracked emits stop too');
    let acked = 0;
    while (tracked().length < 80) {
      const pending = tracked().slice(acked);
      acked = tracked().length;
      stmgr.sendCompletions(1, { acks: pending.map(rootOf) });
      await waitFor('more tracked tuples', () => tracked().length > acked || tracked().length === 80, 10_000);
    }
    stmgr.sendCompletions(1, { acks: tracked().slice(acked).map(rootOf) });
    await waitFor('every number', () => progressOf(progress) === 120, 10_000);
    const inFlight = tracked().map((t) => t.values[1] as number);
    assert.ok(Math.max(...inFlight) <= 5, `in flight at most 5: ${inFlight.join(',')}`);
    assert.equal(Math.max(...inFlight), 5);
  });

  it('runs untracked emits without any acking traffic: nothing is pending, nextTuple is never held', async () => {
    const { stmgr } = await trackedSpout({ 'test.spout.mode': 'count', 'test.spout.limit': 3000, 'topology.max.spout.pending': 1 });
    await waitFor('3000 tuples', () => stmgr.tuplesOn('default').length === 3000, 15_000);
    assert.ok(stmgr.tuplesOn('default').every((t) => t.roots.length === 0));
  });
});
