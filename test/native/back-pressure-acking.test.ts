/**
 * `topology.droptuples.upon.backpressure` under ATLEAST_ONCE (PROTOCOL.md §8): data tuples over the high water mark
 * are dropped, but the acks the stream manager owes a spout are queued whatever its connection holds, or every one
 * dropped would replay a tree that was complete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AckingCluster, SPOUT_TASK, waitFor } from './helpers/acking-cluster.js';

const HIGH = 64 * 1024;
/** Roots acked while the spout does not read: their acks are many times the high water mark and the socket's buffers. */
const ROOTS = 60_000;
const PER_SET = 1_000;

describe('dropping upon back pressure never drops a spout’s acks', () => {
  let cluster: AckingCluster;
  before(async () => {
    cluster = await AckingCluster.start(['stmgr-1'], () => 'stmgr-1', { dropTuplesUponBackPressure: true }, { backPressureHighBytes: HIGH, backPressureLowBytes: HIGH / 2 });
  });
  after(() => cluster?.close());

  it('queues every ack for a spout that stopped reading, and delivers them all once it reads again', async () => {
    const stats = () => cluster.sms.get('stmgr-1')!.dataPath.stats();
    const spoutQueued = () => stats().connections.find((c) => c.taskId === SPOUT_TASK)?.queuedBytes ?? 0;
    cluster.spout.socket.pause();
    // Tuples on a stream nothing subscribes to: each root is complete at once, and its ack is owed to the spout.
    for (let first = 1; first <= ROOTS; first += PER_SET) {
      const tuples = Array.from({ length: PER_SET }, (_, i) => ({ values: [Buffer.from('v')], key: 0n, roots: [{ taskid: SPOUT_TASK, key: BigInt(first + i) }] }));
      cluster.spout.send(SPOUT_TASK, 'spout', 'unheard', tuples);
    }
    await waitFor('the stream manager to complete every root', () => stats().acking.rootsAcked === ROOTS, 20_000);
    assert.ok(spoutQueued() > HIGH, `the spout's queue holds ${spoutQueued()} bytes, not over the ${HIGH} mark: the test shows nothing`);
    assert.equal(stats().tuplesDropped['backpressure-drop'], 0);
    cluster.spout.socket.resume();
    await waitFor('the spout to hear of every root', () => cluster.acked().length === ROOTS, 20_000);
    assert.deepEqual(new Set(cluster.acked().map((r) => r.key)).size, ROOTS);
  });
});
