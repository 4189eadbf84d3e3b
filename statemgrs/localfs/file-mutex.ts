import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isHiddenName, writeFileAtomically } from './atomic-file.js';
import { currentProcessOwner, formatOwner, isOwnerAlive, parseOwner, type ProcessOwner } from './process-owner.js';

/**
 * A mutual-exclusion lock between processes, kept as files in one directory, that survives its holder being
 * killed. Each contender writes its own entry file (its pid, host and a ticket number) and the lowest live ticket
 * holds the lock: Lamport's bakery algorithm, whose only shared operations are writes of whole files (atomic
 * renames) and reads. Nobody ever has to delete another live process's file, so taking over from a dead holder
 * cannot race with a live one: any contender removes the entries of processes that are gone, and the next ticket
 * wins.
 *
 * Why not one lock file created with O_EXCL: when its holder dies, two contenders may both see it stale, and the
 * one that deletes it second deletes the lock the first one just took.
 */

interface MutexEntry extends ProcessOwner {
  readonly id: string;
  /** True while the contender reads the other tickets to pick its own. */
  readonly choosing: boolean;
  readonly ticket: number;
}

/** A held {@link FileMutex}; `release` is safe to call twice. */
export interface HeldFileMutex {
  release(): Promise<void>;
}

const POLL_MS = 15;

export class FileMutex {
  /** @param dir the lock's directory (created when missing). */
  constructor(readonly dir: string) {}

  /**
   * Waits up to `timeoutMs` for the lock. Returns the held lock, or undefined when the time ran out (the entry
   * this call wrote is removed then). Throws the file system's errors.
   */
  async acquire(timeoutMs: number): Promise<HeldFileMutex | undefined> {
    const deadline = Date.now() + timeoutMs;
    await mkdir(this.dir, { recursive: true });
    const id = `${process.pid}-${randomBytes(6).toString('hex')}`;
    const path = join(this.dir, id);
    const write = (choosing: boolean, ticket: number) => writeFileAtomically(path, formatOwner(currentProcessOwner(), { id, choosing, ticket }), false);
    const release = async () => {
      await unlink(path).catch(() => undefined);
    };
    try {
      await write(true, 0);
      const ticket = 1 + Math.max(0, ...(await this.entries(id)).map((entry) => entry.ticket));
      await write(false, ticket);
      for (;;) {
        if (!(await this.blocked(id, ticket))) {
          let released = false;
          return {
            release: async () => {
              if (released) return;
              released = true;
              await release();
            },
          };
        }
        if (Date.now() >= deadline) {
          await release();
          return undefined;
        }
        await sleep(POLL_MS);
      }
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** True while another live contender is choosing its ticket or holds a lower one. */
  private async blocked(id: string, ticket: number): Promise<boolean> {
    for (const other of await this.entries(id)) {
      if (other.choosing) return true;
      if (other.ticket < ticket || (other.ticket === ticket && other.id < id)) return true;
    }
    return false;
  }

  /** The entries of live contenders other than `self`; those of dead processes are removed on the way. */
  private async entries(self: string): Promise<MutexEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      // Deleted under us (deleteLocks): nobody else is contending through it any more.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: MutexEntry[] = [];
    for (const name of names) {
      if (name === self || isHiddenName(name)) continue;
      const entry = await this.readEntry(name);
      if (!entry) continue;
      if (isOwnerAlive(entry)) entries.push(entry);
      else await unlink(join(this.dir, name)).catch(() => undefined);
    }
    return entries;
  }

  private async readEntry(name: string): Promise<MutexEntry | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, name), 'utf8');
    } catch {
      return undefined;
    }
    const owner = parseOwner(text);
    if (!owner) return undefined;
    const fields = JSON.parse(text) as { choosing?: unknown; ticket?: unknown };
    if (typeof fields.choosing !== 'boolean' || typeof fields.ticket !== 'number') return undefined;
    return { ...owner, id: name, choosing: fields.choosing, ticket: fields.ticket };
  }
}
