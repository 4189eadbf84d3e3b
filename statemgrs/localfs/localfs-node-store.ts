import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeVersion } from '../../core/state/node-watcher.js';
import { describeStateNode } from '../../core/state/state-node-codec.js';
import { StateManagerError, STATE_NODE_KINDS, STATE_TOPOLOGY_NAME_PATTERN, type StateNodeKind } from '../../core/spi/state-manager.js';
import { commitFile, discardFile, fileIdentity, isHiddenName, prepareFile, sweepAbandonedTempFiles, writeFileAtomically } from './atomic-file.js';
import { FileMutex } from './file-mutex.js';
import { currentProcessOwner, formatOwner, isOwnerAlive, parseOwner, type ProcessOwner } from './process-owner.js';

/**
 * The state tree on disk: `<root>/<kind>/<topology>` holds the node's encoded message and nothing else (Heron's
 * layout). Beside the tree, in hidden directories:
 * - `.owners/<kind>/<topology>`: the owner of an ephemeral node, with the identity of the file it owns. A node is
 *   ephemeral exactly when its owner record names the node's current file, so the two files never have to change
 *   together: a later plain write replaces the node's file and thereby orphans the record.
 * - `.writers/<topology>/`: a {@link FileMutex} that every write of the topology's nodes holds for a few
 *   milliseconds, so that "create unless present", the owner record and a takeover of a dead owner's node are
 *   decided by one process at a time. Reads take no lock: they see one whole file or the other.
 */

/** A writer holds the mutex for milliseconds; this long means a writer is stuck (stopped, or its disk hangs). */
const WRITER_TIMEOUT_MS = 10_000;

interface OwnerRecord extends ProcessOwner {
  /** The identity ({@link fileIdentity}) of the node file this owner wrote. */
  readonly node: string;
}

/** A node as read: its bytes and the identity of the file they came from. */
export interface StoredNode {
  readonly bytes: Uint8Array;
  readonly identity: string;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads and writes the nodes of one tree (see the top of this file); fails with the file system's errors. */
export class LocalFsNodeStore {
  private prepared: Promise<void> | undefined;

  constructor(readonly root: string) {}

  /** `<root>/<kind>/<topology>`. */
  nodePath(kind: StateNodeKind, topology: string): string {
    return join(this.root, kind, topology);
  }

  kindDir(kind: StateNodeKind): string {
    return join(this.root, kind);
  }

  private ownerPath(kind: StateNodeKind, topology: string): string {
    return join(this.root, '.owners', kind, topology);
  }

  /** Creates the tree's directories and clears temporary files left by killed writers; once per store. */
  prepare(): Promise<void> {
    this.prepared ??= (async () => {
      for (const kind of STATE_NODE_KINDS) {
        await mkdir(this.kindDir(kind), { recursive: true });
        await sweepAbandonedTempFiles(this.kindDir(kind));
      }
      await mkdir(join(this.root, 'locks'), { recursive: true });
    })().catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  /** The node's bytes, or undefined when it is absent or an ephemeral node whose owner is gone. */
  async read(kind: StateNodeKind, topology: string): Promise<StoredNode | undefined> {
    let handle;
    try {
      handle = await open(this.nodePath(kind, topology), 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    try {
      const identity = fileIdentity(await handle.stat({ bigint: true }));
      const bytes = await handle.readFile();
      return (await this.isOrphaned(kind, topology, identity)) ? undefined : { bytes, identity };
    } finally {
      await handle.close();
    }
  }

  /** The node's current version for watches: its file identity, undefined when absent or orphaned. */
  async version(kind: StateNodeKind, topology: string): Promise<NodeVersion> {
    let identity: string;
    try {
      identity = fileIdentity(await stat(this.nodePath(kind, topology), { bigint: true }));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return (await this.isOrphaned(kind, topology, identity)) ? undefined : identity;
  }

  /** The names of the present nodes of `kind`, sorted. */
  async list(kind: StateNodeKind): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.kindDir(kind));
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const present: string[] = [];
    for (const name of names) {
      if (isHiddenName(name) || !STATE_TOPOLOGY_NAME_PATTERN.test(name)) continue;
      if ((await this.version(kind, name)) !== undefined) present.push(name);
    }
    return present.sort();
  }

  /**
   * Writes the node. With `exclusive`, leaves a present node alone and returns 'exists'. With `ephemeral`, records
   * this process as the owner. Throws the file system's errors, or STATE_IO when another writer is stuck.
   */
  async write(kind: StateNodeKind, topology: string, bytes: Uint8Array, options: { ephemeral: boolean; exclusive: boolean }): Promise<'written' | 'exists'> {
    return this.withWriterLock(kind, topology, async () => {
      if (options.exclusive && (await this.read(kind, topology)) !== undefined) return 'exists';
      const path = this.nodePath(kind, topology);
      await mkdir(this.kindDir(kind), { recursive: true });
      const prepared = await prepareFile(path, bytes);
      if (options.ephemeral) {
        try {
          await mkdir(join(this.root, '.owners', kind), { recursive: true });
          await writeFileAtomically(this.ownerPath(kind, topology), formatOwner(currentProcessOwner(), { node: prepared.identity }));
        } catch (error) {
          await discardFile(prepared);
          throw error;
        }
      }
      await commitFile(prepared, path);
      if (!options.ephemeral) await this.removeOwnerRecord(kind, topology);
      return 'written';
    });
  }

  /**
   * Deletes the node (absent is fine). With `onlyIfOwnedBySelf`, only when it is still the ephemeral node this
   * process wrote (close() must not delete what another process wrote since).
   */
  async remove(kind: StateNodeKind, topology: string, onlyIfOwnedBySelf = false): Promise<void> {
    await this.withWriterLock(kind, topology, async () => {
      if (onlyIfOwnedBySelf && !(await this.isOwnedBySelf(kind, topology))) return;
      await unlink(this.nodePath(kind, topology)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
      await this.removeOwnerRecord(kind, topology);
    });
  }

  private async withWriterLock<T>(kind: StateNodeKind, topology: string, action: () => Promise<T>): Promise<T> {
    const held = await new FileMutex(join(this.root, '.writers', topology)).acquire(WRITER_TIMEOUT_MS);
    if (!held) {
      throw new StateManagerError(`writing state node ${describeStateNode(kind, topology)} under ${this.root}: another process has been writing this topology's nodes for ${WRITER_TIMEOUT_MS} ms`, {
        code: 'STATE_IO',
      });
    }
    try {
      return await action();
    } finally {
      await held.release();
    }
  }

  private async readOwnerRecord(kind: StateNodeKind, topology: string): Promise<OwnerRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.ownerPath(kind, topology), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const owner = parseOwner(text);
    if (!owner) return undefined;
    const node = (JSON.parse(text) as { node?: unknown }).node;
    return typeof node === 'string' ? { ...owner, node } : undefined;
  }

  private async removeOwnerRecord(kind: StateNodeKind, topology: string): Promise<void> {
    await unlink(this.ownerPath(kind, topology)).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
  }

  /** True when the node file `identity` is ephemeral and its owner is gone. */
  private async isOrphaned(kind: StateNodeKind, topology: string, identity: string): Promise<boolean> {
    const owner = await this.readOwnerRecord(kind, topology);
    return owner !== undefined && owner.node === identity && !isOwnerAlive(owner);
  }

  private async isOwnedBySelf(kind: StateNodeKind, topology: string): Promise<boolean> {
    const owner = await this.readOwnerRecord(kind, topology);
    const self = currentProcessOwner();
    if (!owner || owner.pid !== self.pid || owner.host !== self.host || owner.started !== self.started) return false;
    const node = await this.read(kind, topology);
    return node !== undefined && node.identity === owner.node;
  }
}
