import { randomUUID } from 'node:crypto';
import { CreateMode, Exception, create, exists, getChildren, isConnectionFailure, mkdirp, remove, zooKeeperCode } from './zookeeper-calls.js';
import type { ZooKeeperConnection } from './zookeeper-connection.js';

/**
 * ZooKeeper's lock recipe: every contender creates an ephemeral sequential child of the lock's node, and the lowest
 * sequence number holds the lock. Each waiter watches only its predecessor (no herd when the lock is released),
 * and a holder whose session ends loses its child, and the lock, without anybody's help.
 *
 * Children are named `_c_<uuid>-lock-<sequence>` (Curator's "protected" names): when the connection drops during the
 * create, the contender finds the child it may have created by its uuid instead of leaving an orphan that would
 * block everybody until its session ends.
 */

const CHILD = /-lock-(\d{10})$/;

/** A held lock; `release` deletes its child (safe to call twice; a child already gone is fine). */
export interface HeldZooKeeperLock {
  /** The session the lock was taken in: an expired session took the lock with it. */
  readonly sessionId: Buffer;
  readonly path: string;
  release(): Promise<void>;
}

function sequenceOf(name: string): number {
  return Number(CHILD.exec(name)?.[1] ?? Number.NaN);
}

/**
 * Waits up to `timeoutMs` for the lock whose node is `dir`; returns the held lock, or undefined when the time ran
 * out (its child is deleted then). Throws what the connection throws (STATE_UNREACHABLE, STATE_CLOSED) and
 * ZooKeeper's exceptions.
 */
export async function acquireZooKeeperLock(connection: ZooKeeperConnection, dir: string, timeoutMs: number): Promise<HeldZooKeeperLock | undefined> {
  const deadline = Date.now() + timeoutMs;
  const prefix = `_c_${randomUUID()}-lock-`;
  let mine: string | undefined;
  let session: Buffer | undefined;

  const children = async () => (await connection.run('listing lock contenders', (client) => getChildren(client, dir), true)).filter((name) => CHILD.test(name));
  const enter = async (): Promise<string> => {
    for (;;) {
      try {
        const path = await connection.run('entering a lock', (client) => create(client, `${dir}/${prefix}`, Buffer.alloc(0), CreateMode.EPHEMERAL_SEQUENTIAL), false);
        return path.slice(dir.length + 1);
      } catch (error) {
        const code = zooKeeperCode(error);
        if (code === Exception.NO_NODE) await connection.run('creating a lock node', (client) => mkdirp(client, dir), true);
        else if (isConnectionFailure(error)) {
          const found = (await children()).find((name) => name.startsWith(prefix));
          if (found) return found;
        } else throw error;
      }
    }
  };
  const leave = async () => {
    if (mine === undefined) return;
    const path = `${dir}/${mine}`;
    mine = undefined;
    await connection.run('leaving a lock', (client) => remove(client, path), true).catch((error: unknown) => {
      if (zooKeeperCode(error) !== Exception.NO_NODE) throw error;
    });
  };

  try {
    await connection.run('creating a lock node', (client) => mkdirp(client, dir), true);
    for (;;) {
      if (mine === undefined) {
        mine = await enter();
        session = connection.currentSessionId;
      }
      const contenders = (await children()).sort((a, b) => sequenceOf(a) - sequenceOf(b));
      const index = contenders.indexOf(mine);
      if (index === -1) {
        // Our child went with an expired session (or deleteLocks): queue again.
        mine = undefined;
        continue;
      }
      if (index === 0) {
        const path = `${dir}/${mine}`;
        return { sessionId: session ?? Buffer.alloc(8), path, release: leave };
      }
      if (Date.now() >= deadline) {
        await leave();
        return undefined;
      }
      await waitForDeletion(connection, `${dir}/${contenders[index - 1] ?? ''}`, deadline);
    }
  } catch (error) {
    await leave().catch(() => undefined);
    throw error;
  }
}

/** Resolves when `path` is gone, the deadline passes, or the session changes (our own child may be gone). */
async function waitForDeletion(connection: ZooKeeperConnection, path: string, deadline: number): Promise<void> {
  let wake: () => void = () => undefined;
  const woken = new Promise<void>((resolve) => (wake = resolve));
  const timer = setTimeout(wake, Math.max(0, deadline - Date.now()));
  connection.once('session', wake);
  try {
    const stat = await connection.run('watching a lock contender', (client) => exists(client, path, wake), true);
    if (stat) await woken;
  } finally {
    clearTimeout(timer);
    connection.off('session', wake);
  }
}
