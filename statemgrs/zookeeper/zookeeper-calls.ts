import zookeeper, { type Client, type Stat } from 'node-zookeeper-client';
import type { NodeVersion } from '../../core/state/node-watcher.js';

/**
 * node-zookeeper-client's callback calls as promises. Each rejects with the library's exception, whose code
 * {@link zooKeeperCode} reads; the callers map it to the contract's errors.
 */

/** ZooKeeper's node size limit, which the client asserts synchronously (it would throw out of the call). */
export const MAX_NODE_BYTES = 1024 * 1024;

/** The client's node modes and error codes (the package is CommonJS: its named exports come through the default). */
export const { CreateMode, Exception } = zookeeper;

/** The ZooKeeper error code of a failure (NO_NODE, NODE_EXISTS, CONNECTION_LOSS...), if it is one. */
export function zooKeeperCode(error: unknown): number | undefined {
  const getCode = (error as { getCode?: unknown } | null)?.getCode;
  return typeof getCode === 'function' ? (getCode.call(error) as number) : undefined;
}

/** True for the failures after which the same request may succeed on a (re)connected session. */
export function isConnectionFailure(error: unknown): boolean {
  const code = zooKeeperCode(error);
  return code === Exception.CONNECTION_LOSS || code === Exception.SESSION_EXPIRED || code === Exception.OPERATION_TIMEOUT;
}

function settle<T>(resolve: (value: T) => void, reject: (error: unknown) => void): (error: unknown, value: T) => void {
  return (error, value) => (error ? reject(error) : resolve(value));
}

/** The node's stat, or null when absent; with `watcher`, also arms a one-shot watch (created, changed, deleted). */
export function exists(client: Client, path: string, watcher?: () => void): Promise<Stat | null> {
  return new Promise((resolve, reject) => client.exists(path, watcher, settle(resolve, reject)));
}

/** The node's bytes and stat; rejects with NO_NODE when absent. */
export function getData(client: Client, path: string): Promise<{ data: Buffer; stat: Stat }> {
  return new Promise((resolve, reject) =>
    client.getData(path, undefined, (error, data, stat) => (error ? reject(error) : resolve({ data: data ?? Buffer.alloc(0), stat }))),
  );
}

/** The names of the node's children, unordered; rejects with NO_NODE when absent. */
export function getChildren(client: Client, path: string, watcher?: () => void): Promise<string[]> {
  return new Promise((resolve, reject) => client.getChildren(path, watcher, (error, children) => (error ? reject(error) : resolve(children))));
}

/** Creates a node; resolves to its actual path (sequential nodes get a counter appended). */
export function create(client: Client, path: string, data: Buffer, mode: number): Promise<string> {
  return new Promise((resolve, reject) => client.create(path, data, mode, settle(resolve, reject)));
}

/** Replaces the node's bytes if its version is still `version` (-1: any); rejects with BAD_VERSION or NO_NODE. */
export function setData(client: Client, path: string, data: Buffer, version: number): Promise<Stat> {
  return new Promise((resolve, reject) => client.setData(path, data, version, settle(resolve, reject)));
}

/** Deletes the node if its version is still `version` (-1: any); rejects with NO_NODE, BAD_VERSION or NOT_EMPTY. */
export function remove(client: Client, path: string, version = -1): Promise<void> {
  return new Promise((resolve, reject) => client.remove(path, version, (error) => (error ? reject(error) : resolve())));
}

/** Creates `path` and its missing parents as empty persistent nodes. */
export function mkdirp(client: Client, path: string): Promise<void> {
  return new Promise((resolve, reject) => client.mkdirp(path, (error) => (error ? reject(error) : resolve())));
}

/** Replaces a node by one of another mode in one atomic step: readers never see it absent. */
export function replaceNode(client: Client, path: string, version: number, data: Buffer, mode: number): Promise<void> {
  return new Promise((resolve, reject) =>
    client
      .transaction()
      .remove(path, version)
      .create(path, data, mode)
      .commit((error) => (error ? reject(error) : resolve())),
  );
}

/** Deletes a node and its children (absent is fine). */
export async function removeTree(client: Client, path: string): Promise<void> {
  let children: string[];
  try {
    children = await getChildren(client, path);
  } catch (error) {
    if (zooKeeperCode(error) === Exception.NO_NODE) return;
    throw error;
  }
  for (const child of children) await removeTree(client, `${path}/${child}`);
  try {
    await remove(client, path);
  } catch (error) {
    if (zooKeeperCode(error) !== Exception.NO_NODE) throw error;
  }
}

/** A node's version for watches: a re-created node has a new czxid, a rewritten one a new mzxid. */
export function versionOf(stat: Stat | null): NodeVersion {
  return stat ? `${stat.czxid.toString('hex')}-${stat.mzxid.toString('hex')}` : undefined;
}

/** True when the node is an ephemeral node of the session `sessionId`. */
export function isOwnedBy(stat: Stat, sessionId: Buffer): boolean {
  return stat.ephemeralOwner.equals(sessionId);
}

/** True when the node is persistent (no owning session). */
export function isPersistent(stat: Stat): boolean {
  return stat.ephemeralOwner.every((byte) => byte === 0);
}
