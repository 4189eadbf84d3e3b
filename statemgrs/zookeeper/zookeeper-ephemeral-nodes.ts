import type { Logger } from 'winston';
import { Exception, getData, isOwnedBy, zooKeeperCode } from './zookeeper-calls.js';
import type { ZooKeeperConnection } from './zookeeper-connection.js';
import { createNode, setNode } from './zookeeper-node-writes.js';

/**
 * The ephemeral nodes this process wrote and has not deleted, with their bytes: ZooKeeper deletes them when the
 * session expires, and this process, still alive, puts them back in its next session.
 */
export class EphemeralNodes {
  private readonly owned = new Map<string, Buffer>();

  constructor(
    private readonly connection: ZooKeeperConnection,
    private readonly logger: Logger,
  ) {}

  /** Records a successful write: an ephemeral one is ours to keep, a persistent one no longer is. */
  wrote(path: string, bytes: Buffer, ephemeral: boolean): void {
    if (ephemeral) this.owned.set(path, bytes);
    else this.owned.delete(path);
  }

  deleted(path: string): void {
    this.owned.delete(path);
  }

  /**
   * Re-creates every owned node in the current session. A node still held by our previous session (the server has
   * not expired it yet) is taken over; one that another process wrote meanwhile is theirs now: it is left alone and
   * forgotten. Throws the first failure after trying every node.
   */
  async recreate(): Promise<void> {
    let failure: unknown;
    let count = 0;
    for (const [path, bytes] of [...this.owned]) {
      try {
        if ((await createNode(this.connection, path, bytes, true)) === 'created' || (await this.takeOver(path, bytes))) {
          count++;
        } else {
          this.owned.delete(path);
          this.logger.warn('another process wrote an ephemeral node of ours while our session was gone; leaving it to them', { node: path });
        }
      } catch (error) {
        failure ??= error;
      }
    }
    this.logger.info('re-created ephemeral nodes in the new ZooKeeper session', { count, of: this.owned.size });
    if (failure !== undefined) throw failure;
  }

  /** Makes an existing node ours again when it holds our bytes (our old session's node); false when it is not ours. */
  private async takeOver(path: string, bytes: Buffer): Promise<boolean> {
    const session = this.connection.currentSessionId;
    let node;
    try {
      node = await this.connection.run(`reading ${path}`, (client) => getData(client, path), true);
    } catch (error) {
      if (zooKeeperCode(error) === Exception.NO_NODE) return false;
      throw error;
    }
    if (session !== undefined && isOwnedBy(node.stat, session)) return true;
    if (!node.data.equals(bytes)) return false;
    await setNode(this.connection, path, bytes, true);
    return true;
  }
}
