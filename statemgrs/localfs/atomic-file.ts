import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Files that are never seen half-written: content goes to a temporary file in the same directory (so the final
 * step is a rename within one file system, which POSIX makes atomic), is flushed to disk, and only then takes the
 * final name. A process killed at any point leaves the old file or the new one, plus at worst a stray temporary
 * file, which names starting with '.' keep out of every listing.
 */

/** A temporary file's name marks it: `.<final name>.<random>.tmp`. */
const TEMP_FILE = /^\..+\.[0-9a-f]{16}\.tmp$/;

/** Temporary files older than this belong to a writer that died: nobody takes this long between write and rename. */
const ABANDONED_TEMP_MS = 60_000;

/**
 * Which version of a file this is: rename keeps the inode and mtime of the temporary file, so the identity a writer
 * reads before the rename is the one readers see after it, and any later replacement changes it.
 */
export function fileIdentity(stats: BigIntStats): string {
  return `${stats.ino}-${stats.size}-${stats.mtimeNs}`;
}

/** A written, flushed temporary file waiting to be renamed into place. */
export interface PreparedFile {
  readonly tempPath: string;
  readonly identity: string;
}

/**
 * Writes `bytes` to a temporary file beside `path` and, unless `durable` is false (files that mean nothing after a
 * reboot), flushes it to disk. Throws the file system's error.
 */
export async function prepareFile(path: string, bytes: Uint8Array | string, durable = true): Promise<PreparedFile> {
  const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(tempPath, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(bytes);
      // Without the flush a power cut after the rename could leave an empty file under the final name.
      if (durable) await handle.sync();
      return { tempPath, identity: fileIdentity(await handle.stat({ bigint: true })) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}

/** Gives a prepared file its final name, replacing what was there. */
export async function commitFile(prepared: PreparedFile, path: string): Promise<void> {
  try {
    await rename(prepared.tempPath, path);
  } catch (error) {
    await discardFile(prepared);
    throw error;
  }
}

/** Removes a prepared file that will not be committed. */
export async function discardFile(prepared: PreparedFile): Promise<void> {
  await unlink(prepared.tempPath).catch(() => undefined);
}

/** Writes `path` atomically (prepare + commit) and returns the identity of what it wrote. */
export async function writeFileAtomically(path: string, bytes: Uint8Array | string, durable = true): Promise<string> {
  const prepared = await prepareFile(path, bytes, durable);
  await commitFile(prepared, path);
  return prepared.identity;
}

/** True for names that are not nodes: temporary files and anything else hidden. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

/** Removes temporary files that writers killed mid-write left in `dir` (best effort). */
export async function sweepAbandonedTempFiles(dir: string, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => TEMP_FILE.test(n))) {
    const path = join(dir, name);
    try {
      if (now - (await stat(path)).mtimeMs > ABANDONED_TEMP_MS) await unlink(path);
    } catch {
      // Gone already, or renamed into place by its writer just now.
    }
  }
}
