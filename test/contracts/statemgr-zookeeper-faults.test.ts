import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { StateManager, StateWatchEvent } from '../../core/spi/state-manager.js';
import { freePort, useZooKeeper } from '../helpers/zookeeper-server.js';
import { ChildProcesses, loadDescriptor, openStateManager, waitFor } from './statemgr-harness.js';
import { sampleNode } from './statemgr-samples.js';

// ZooKeeper's failures, with a real server: restarts, lost data, session expiry, dead clients, no server at all.

const SESSION_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 3000;
/** A restart, a reconnection and a new session on a busy 2-core machine. */
const RECOVERY_MS = 20_000;
const plugin = { module: fileURLToPath(new URL('../../statemgrs/zookeeper/zookeeper-state-manager-plugin.js', import.meta.url)), exportName: 'zooKeeperStateManagerPlugin' };

const zookeeper = useZooKeeper();
const children = new ChildProcesses();
const opened: StateManager[] = [];
let trees = 0;

afterEach(async () => {
  await children.killAll();
  await Promise.all(opened.splice(0).map((state) => state.close()));
});

function treeConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'egret.statemgr.zookeeper.connection.string': zookeeper().connectionString,
    'egret.statemgr.zookeeper.root': `/egret-faults-${process.pid}-${++trees}`,
    'egret.statemgr.zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS,
    'egret.statemgr.zookeeper.connect.timeout.ms': CONNECT_TIMEOUT_MS,
    ...overrides,
  };
}

async function open(config: Record<string, unknown>): Promise<StateManager> {
  const state = await openStateManager(await loadDescriptor(plugin), config);
  opened.push(state);
  return state;
}

/** True once `read` succeeds with a value satisfying `accept` (failures while the server recovers count as not yet). */
function eventually(read: () => Promise<unknown>, accept: (value: unknown) => boolean): () => Promise<boolean> {
  return async () => {
    try {
      return accept(await read());
    } catch {
      return false;
    }
  };
}

describe('the zookeeper state manager under faults', () => {
  it('recovers when the server restarts under it: the session survives and so do its ephemeral nodes and watches', async () => {
    const config = treeConfig();
    const state = await open(config);
    await state.set('tmanagers', 'restart', sampleNode('tmanagers', 'restart'), { ephemeral: true });
    const events: StateWatchEvent[] = [];
    await state.watch('packingplans', 'restart', (event) => void events.push(event));

    await zookeeper().start();
    await waitFor('reads to work again', eventually(() => state.get('tmanagers', 'restart'), (v) => v !== undefined), RECOVERY_MS);
    const other = await open(config);
    assert.notEqual(await other.find('tmanagers', 'restart'), undefined, 'the ephemeral node is still there');
    await other.set('packingplans', 'restart', sampleNode('packingplans', 'restart'));
    await waitFor('the watch to report the creation', () => events.includes('created'), RECOVERY_MS);
  });

  it('re-creates its ephemeral nodes and re-arms its watches in a new session when the server comes back without its data', async () => {
    const config = treeConfig();
    const state = await open(config);
    await state.set('tmanagers', 'wiped', sampleNode('tmanagers', 'wiped', 3), { ephemeral: true });
    const events: StateWatchEvent[] = [];
    await state.watch('packingplans', 'wiped', (event) => void events.push(event));

    await zookeeper().start({ wipe: true });
    const other = await open(config);
    await waitFor('the ephemeral node to be re-created', eventually(() => other.find('tmanagers', 'wiped'), (v) => v !== undefined), RECOVERY_MS);
    await other.set('packingplans', 'wiped', sampleNode('packingplans', 'wiped'));
    await waitFor('the re-armed watch to report the creation', () => events.includes('created'), RECOVERY_MS);
    await state.set('schedulers', 'wiped', sampleNode('schedulers', 'wiped'));
  });

  it('survives a session expiry (its process stalled past the session timeout), re-creating its nodes and watches, and logs it', async () => {
    const config = treeConfig();
    const observer = await open(config);
    const owner = children.start({ plugin, config, action: 'hold-ephemeral', kind: 'tmanagers', watchKind: 'packingplans', topology: 'expiry' }, { EGRET_LOG_LEVEL: 'info' });
    await owner.waitForLine(/^ready$/, RECOVERY_MS);
    assert.notEqual(await observer.find('tmanagers', 'expiry'), undefined);

    owner.process.kill('SIGSTOP');
    await waitFor('the stalled owner’s session to expire', async () => (await observer.find('tmanagers', 'expiry')) === undefined, SESSION_TIMEOUT_MS + RECOVERY_MS);
    owner.process.kill('SIGCONT');
    await waitFor('the owner to re-create its ephemeral node', async () => (await observer.find('tmanagers', 'expiry')) !== undefined, RECOVERY_MS);
    await observer.set('packingplans', 'expiry', sampleNode('packingplans', 'expiry'));
    await owner.waitForLine(/^event created$/, RECOVERY_MS);
    assert.match(owner.stderr, /session expired|session is lost/);
    assert.match(owner.stderr, /re-created ephemeral nodes/);
  });

  it('deletes the ephemeral node of a process killed with SIGKILL within the session timeout', async () => {
    const config = treeConfig();
    const observer = await open(config);
    const owner = children.start({ plugin, config, action: 'hold-ephemeral', kind: 'metricscaches', topology: 'killed' });
    await owner.waitForLine(/^ready$/, RECOVERY_MS);
    await owner.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor('the ephemeral node to disappear', async () => (await observer.find('metricscaches', 'killed')) === undefined, SESSION_TIMEOUT_MS * 3);
    const gone = Date.now() - killedAt;
    assert.ok(gone <= SESSION_TIMEOUT_MS + 1500, `gone after ${gone} ms for a ${SESSION_TIMEOUT_MS} ms session`);
  });

  it('fails within the connect timeout with STATE_UNREACHABLE naming the connection string when no server answers', async () => {
    const port = await freePort();
    const state = await open(treeConfig({ 'egret.statemgr.zookeeper.connection.string': `127.0.0.1:${port}`, 'egret.statemgr.zookeeper.connect.timeout.ms': 800 }));
    for (const attempt of [1, 2]) {
      const started = Date.now();
      await assert.rejects(state.listTopologies(), (error: unknown) => {
        assert.equal((error as { code?: string }).code, 'STATE_UNREACHABLE', String(error));
        assert.match((error as Error).message, new RegExp(`127\\.0\\.0\\.1:${port}.*800 ms`));
        return true;
      });
      const took = Date.now() - started;
      assert.ok(took >= 750 && took < 800 + 1500, `attempt ${attempt} failed after ${took} ms for an 800 ms connect timeout`);
    }
    await state.close();
    await state.close();
  });
});
