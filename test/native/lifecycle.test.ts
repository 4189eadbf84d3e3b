import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createDataPath, DataPathError } from '../../native/index.js';
import { FakeInstance } from './helpers/fake-instance.js';
import { threadCount as threads, threadsSettleAt } from './helpers/threads.js';
import { startStreamManager, testEndpoint } from './helpers/stream-manager.js';
import { testRouting } from './helpers/topology.js';
import { tupleSetFrame } from './helpers/tuples.js';
import { waitFor } from './helpers/wait-for.js';

const fds = (): number => readdirSync('/proc/self/fd').length;

async function cycle(withTraffic: boolean): Promise<void> {
  const sm = await startStreamManager('stmgr-1');
  sm.dataPath.setRouting(testRouting('stmgr-1'));
  if (withTraffic) {
    const bolt = await FakeInstance.register(sm.endpoint, 11, 'lowest');
    const spout = await FakeInstance.register(sm.endpoint, 1, 'words');
    spout.send(1, 'words', 'default', [{ values: [Buffer.from('x')] }]);
    await bolt.waitForTuples(1);
    spout.close();
    bolt.close();
    await waitFor('the instances to see the end', () => spout.closed && bolt.closed);
  }
  await sm.close();
}

describe('addon lifecycle', () => {
  it('closes while tuples are flowing, promptly, and the instances see their connections end', async () => {
    const before = threads();
    const sm = await startStreamManager('stmgr-1');
    sm.dataPath.setRouting(testRouting('stmgr-1'));
    const bolt = await FakeInstance.register(sm.endpoint, 11, 'lowest');
    const spout = await FakeInstance.register(sm.endpoint, 1, 'words');
    const frame = tupleSetFrame(1, 'words', 'default', Array.from({ length: 1000 }, (_, i) => ({ values: [Buffer.from(`busy-${i}`)] })));
    const pump = (): void => {
      while (!spout.closed && spout.socket.write(frame));
      if (!spout.closed) spout.socket.once('drain', pump);
    };
    pump();
    await bolt.waitForTuples(20_000);
    assert.equal(threads(), before + 1);
    const started = Date.now();
    await sm.close();
    assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
    await threadsSettleAt(before, 'the data thread gone after close()');
    await waitFor('both instances to see the end of their connection', () => spout.closed && bolt.closed);
    assert.throws(() => sm.dataPath.stats(), (error: unknown) => error instanceof DataPathError && error.code === 'DATA_PATH_STATE');
    await sm.dataPath.close();
  });

  it('starts and stops 50 times without leaking threads or file descriptors', async () => {
    // One warm-up cycle: Node opens some descriptors and threads lazily on first use.
    await cycle(true);
    const threadsBefore = threads();
    const fdsBefore = fds();
    for (let i = 0; i < 50; i++) await cycle(i % 5 === 0);
    await threadsSettleAt(threadsBefore, 'no thread left by 50 cycles');
    assert.equal(fds(), fdsBefore, 'file descriptors');
  });

  it('a socket file endpoint is removed on close', async () => {
    const { existsSync, mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'egret-native-'));
    try {
      const path = join(dir, 'stmgr.sock');
      const sm = await startStreamManager('stmgr-1', { localEndpoint: `unix:${path}` });
      sm.dataPath.setRouting(testRouting('stmgr-1'));
      assert.ok(existsSync(path));
      const bolt = await FakeInstance.register(sm.endpoint, 11, 'lowest');
      bolt.close();
      await sm.close();
      assert.equal(existsSync(path), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails to start on an endpoint already taken, and can be closed after', async () => {
    const endpoint = testEndpoint();
    const first = createDataPath({ localEndpoint: endpoint, dataHost: '127.0.0.1', dataPort: 0, topologyName: 'topology', topologyId: 'topology-1' });
    await first.start();
    const second = createDataPath({ localEndpoint: endpoint, dataHost: '127.0.0.1', dataPort: 0, topologyName: 'topology', topologyId: 'topology-1' });
    await assert.rejects(second.start(), (error: unknown) => error instanceof DataPathError && error.code === 'DATA_PATH_START_FAILED' && /Address already in use/.test(error.message));
    await second.close();
    await first.close();
  });
});
