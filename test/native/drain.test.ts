import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { AckingCluster, SPLIT_TASKS, waitFor } from './helpers/acking-cluster.js';

// native/PROTOCOL.md §5: a batch goes at the end of the data thread's turn that opened it, unless the last drain was
// less than the drain interval before. A long interval makes both halves visible.
describe('draining the open batches', () => {
  const INTERVAL_MS = 3000;
  let cluster: AckingCluster;
  before(async () => {
    cluster = await AckingCluster.start(['stmgr-1', 'stmgr-2'], (task) => ([1, 2, 5].includes(task) ? 'stmgr-1' : 'stmgr-2'), {}, { drainIntervalMs: INTERVAL_MS });
  });
  after(() => cluster.close());

  it('sends a tuple at once when the stream managers were quiet, and the next one no sooner than the interval after', async () => {
    const delivered = (root: bigint) => SPLIT_TASKS.every((task) => cluster.inputsOf(task, root).length === 1);
    const start = Date.now();
    cluster.emit(1n);
    await waitFor('the first tuple, at once', () => delivered(1n), INTERVAL_MS - 500);
    const firstAt = Date.now();
    cluster.emit(2n);
    await sleep(300);
    assert.equal(delivered(2n), false, 'the second tuple waits for the interval since the first drain');
    await waitFor('the second tuple', () => delivered(2n));
    const gap = Date.now() - firstAt;
    assert.ok(gap >= INTERVAL_MS - 600, `the second tuple came ${gap} ms after the first (interval ${INTERVAL_MS} ms, first after ${firstAt - start} ms)`);
  });
});
