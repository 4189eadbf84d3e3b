import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AckingCluster, SPLIT_TASKS, SPOUT_TASK, waitFor } from './helpers/acking-cluster.js';

// The topology of the acking suite, but ATMOST_ONCE: the data path must do none of PROTOCOL.md §7.
describe('ATMOST_ONCE keeps no acking state and sends no control tuples', () => {
  let cluster: AckingCluster;
  before(async () => {
    cluster = await AckingCluster.start(['stmgr-1', 'stmgr-2'], (task) => ([1, 2, 5].includes(task) ? 'stmgr-1' : 'stmgr-2'), { reliability: 'ATMOST_ONCE' });
  });
  after(() => cluster.close());

  it('forwards tuples with their key and roots as written, tracks nothing, and drops control tuples, counting them', async () => {
    cluster.emit(99n);
    for (const task of SPLIT_TASKS) await waitFor(`task ${task} to receive`, () => cluster.inputsOf(task, 99n).length === 1);
    for (const task of SPLIT_TASKS) {
      const [tuple] = cluster.inputsOf(task, 99n);
      assert.equal(tuple!.key, 0n, 'no key is generated');
      assert.deepEqual(tuple!.rootIds, [{ taskid: SPOUT_TASK, key: 99n }]);
      cluster.ack(task, tuple!);
    }
    const dropped = () => [...cluster.sms.values()].flatMap((sm) => sm.dataPath.stats().connections).filter((c) => c.kind === 'instance' && SPLIT_TASKS.includes(c.taskId as 2 | 3));
    await waitFor('both acks to be dropped', () => dropped().reduce((n, c) => n + c.framesDropped, 0) === 2);
    for (const sm of cluster.sms.values()) {
      const stats = sm.dataPath.stats();
      assert.deepEqual(stats.acking, { enabled: false, pendingRoots: 0, rootsAcked: 0, rootsFailed: 0, rootsExpired: 0 });
      for (const connection of stats.connections) {
        assert.equal(connection.controlTuplesIn, 0);
        assert.equal(connection.controlTuplesOut, 0);
      }
      await waitFor('the warning', () => sm.events.some((e) => e.type === 'warning' && /sent control tuples \(acks\), which ATMOST_ONCE does not handle; dropped/.test(e.message)));
    }
    assert.equal(cluster.spout.controls.length, 0);
  });
});
