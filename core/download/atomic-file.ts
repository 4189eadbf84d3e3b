import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { stagingName } from './staging-name.js';

/** How {@link stageFile} and {@link writeFileAtomically} copy a stream. */
export interface StagingOptions {
  /** Stops the copy; the staging file is removed and the signal's reason is thrown. */
  readonly signal?: AbortSignal;
  /** Called after every chunk written (to feed an idle timer). */
  readonly onProgress?: (bytes: number) => void;
  /** When set, a copy of any other length fails (a connection closed early looks like a short but clean stream). */
  readonly expectedBytes?: number;
}

/** A complete, synced copy waiting beside its destination under a staging name. */
export interface StagedFile {
  readonly path: string;
  readonly bytes: number;
  /** Renames the copy onto the destination, replacing whatever is there in one step. */
  commit(): Promise<void>;
  /** Removes the copy; safe after a commit or a previous discard. */
  discard(): Promise<void>;
}

/** The source ended with another number of bytes than expected. */
export class ShortTransferError extends Error {}

/**
 * Writing the destination side failed (disk full, no permission, no such directory), as opposed to reading the
 * source: callers report the two differently. The fs error is the `cause`.
 */
export class DestinationWriteError extends Error {}

/**
 * Copies `source` into a new staging file in the directory of `destination` and syncs it to disk, so that a later
 * {@link StagedFile.commit} makes the whole file appear at once. On any failure the staging file is removed and the
 * error rethrown: the source's own error, {@link ShortTransferError}, the signal's reason, or
 * {@link DestinationWriteError} for the destination side.
 */
export async function stageFile(destination: string, source: Readable, options: StagingOptions = {}): Promise<StagedFile> {
  const path = join(dirname(destination), stagingName(basename(destination), 'partial'));
  let handle: FileHandle;
  try {
    handle = await onDestination(path, () => open(path, 'wx', 0o644));
  } catch (error) {
    source.destroy();
    throw error;
  }
  const discard = () => rm(path, { force: true });
  // A stalled stream never yields again: destroying it is what wakes the loop below when the signal aborts.
  const onAbort = () => source.destroy(options.signal?.reason as Error);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let bytes = 0;
  try {
    for await (const chunk of source) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      await onDestination(path, () => handle.write(buffer));
      bytes += buffer.length;
      options.onProgress?.(bytes);
    }
    options.signal?.throwIfAborted();
    if (options.expectedBytes !== undefined && bytes !== options.expectedBytes) {
      throw new ShortTransferError(`received ${bytes} of ${options.expectedBytes} bytes`);
    }
    await onDestination(path, () => handle.sync());
    await onDestination(path, () => handle.close());
  } catch (error) {
    source.destroy();
    await handle.close().catch(() => undefined);
    await discard();
    throw options.signal?.aborted ? options.signal.reason : error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const commit = async () => {
    await onDestination(destination, () => rename(path, destination));
    await syncDirectory(dirname(destination));
  };
  return { path, bytes, commit, discard };
}

/**
 * Flushes a directory's entries, so that a rename survives a power cut. Best effort: some file systems refuse to
 * open or sync a directory, and the rename itself has already happened.
 */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close().catch(() => undefined);
}

/**
 * Writes `source` to `destination` so that the file appears complete or not at all: staged beside it, synced, then
 * renamed over it. Returns the number of bytes written; fails as {@link stageFile} does, leaving nothing behind.
 */
export async function writeFileAtomically(destination: string, source: Readable, options: StagingOptions = {}): Promise<number> {
  const staged = await stageFile(destination, source, options);
  try {
    await staged.commit();
  } catch (error) {
    await staged.discard();
    throw error;
  }
  return staged.bytes;
}

async function onDestination<T>(path: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new DestinationWriteError(`writing ${path}: ${(error as Error).message}`, { cause: error });
  }
}
