import { posix } from 'node:path';
import type { Client } from 'node-zookeeper-client';
import { StateManagerError } from '../../core/spi/state-manager.js';
import {
  CreateMode,
  Exception,
  create,
  exists,
  getData,
  isConnectionFailure,
  isOwnedBy,
  isPersistent,
  mkdirp,
  replaceNode,
  setData,
  zooKeeperCode,
} from './zookeeper-calls.js';
import type { ZooKeeperConnection } from './zookeeper-connection.js';

/**
 * Writing a node of the tree, with ZooKeeper's races and lost replies handled. Both functions throw ZooKeeper's
 * exceptions or the connection's errors; the state manager maps them.
 */

/** Losing this many races in a row (versions changed under us) means something rewrites the node non-stop. */
const MAX_RACES = 20;

function modeOf(ephemeral: boolean): number {
  return ephemeral ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT;
}

/**
 * Creates the node; resolves to 'exists' when it is already there. When a reply was lost and the retry finds the
 * node, it is ours if it holds our bytes in our mode: the first attempt went through before the connection dropped.
 */
export async function createNode(connection: ZooKeeperConnection, path: string, bytes: Buffer, ephemeral: boolean): Promise<'created' | 'exists'> {
  let replyLost = false;
  for (;;) {
    try {
      await connection.run(`creating ${path}`, (client) => create(client, path, bytes, modeOf(ephemeral)), false);
      return 'created';
    } catch (error) {
      const code = zooKeeperCode(error);
      if (code === Exception.NODE_EXISTS) {
        return replyLost && (await connection.run(`reading ${path}`, (client) => holds(client, path, bytes, ephemeral), true)) ? 'created' : 'exists';
      }
      if (code === Exception.NO_NODE) await connection.run(`creating the parent of ${path}`, (client) => mkdirp(client, posix.dirname(path)), true);
      else if (isConnectionFailure(error)) replyLost = true;
      else throw error;
    }
  }
}

/**
 * Writes the node, replacing what is there. A node of the other mode (ephemeral for a persistent write, another
 * session's ephemeral node) is replaced in one transaction, so readers never find it missing.
 */
export async function setNode(connection: ZooKeeperConnection, path: string, bytes: Buffer, ephemeral: boolean): Promise<void> {
  for (let race = 0; race < MAX_RACES; race++) {
    try {
      await connection.run(`writing ${path}`, (client) => writeOnce(client, path, bytes, ephemeral), false);
      return;
    } catch (error) {
      const code = zooKeeperCode(error);
      if (code === Exception.NO_NODE) {
        // Either the node vanished between our reads (race again) or its parent is missing (create it): mkdirp suits both.
        await connection.run(`creating the parent of ${path}`, (client) => mkdirp(client, posix.dirname(path)), true);
      } else if (code !== Exception.NODE_EXISTS && code !== Exception.BAD_VERSION && !isConnectionFailure(error)) {
        throw error;
      }
    }
  }
  throw new StateManagerError(`writing ${path}: the node changed under every one of ${MAX_RACES} attempts`, { code: 'STATE_IO' });
}

async function writeOnce(client: Client, path: string, bytes: Buffer, ephemeral: boolean): Promise<void> {
  const stat = await exists(client, path);
  if (!stat) {
    await create(client, path, bytes, modeOf(ephemeral));
    return;
  }
  const sameMode = ephemeral ? isOwnedBy(stat, client.getSessionId()) : isPersistent(stat);
  if (sameMode) await setData(client, path, bytes, stat.version);
  else await replaceNode(client, path, stat.version, bytes, modeOf(ephemeral));
}

async function holds(client: Client, path: string, bytes: Buffer, ephemeral: boolean): Promise<boolean> {
  try {
    const { data, stat } = await getData(client, path);
    return data.equals(bytes) && (ephemeral ? isOwnedBy(stat, client.getSessionId()) : isPersistent(stat));
  } catch (error) {
    if (zooKeeperCode(error) === Exception.NO_NODE) return false;
    throw error;
  }
}
