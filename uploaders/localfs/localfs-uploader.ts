import { createReadStream } from 'node:fs';
import { copyFile, constants, link, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject, injectable } from 'inversify';
import { DestinationWriteError, type StagedFile, stageFile } from '../../core/download/atomic-file.js';
import { isAbandonedStaging, stagingName } from '../../core/download/staging-name.js';
import { messageOf } from '../../core/errors.js';
import { createLogger } from '../../core/logging.js';
import { checkPackageFile } from '../../core/uploader/package-file.js';
import { UploaderOperations } from '../../core/uploader/uploader-operations.js';
import { packageFileName } from '../../core/uploader/package-location.js';
import { undoError, uploadError } from '../../core/uploader/upload-error.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { type Uploader, UploaderError } from '../../core/spi/uploader.js';
import { LOCALFS_DEFAULT_DIRECTORY, LocalFsUploaderConfig, LocalFsUploaderKeys } from './localfs-uploader-config.js';

const log = createLogger('uploader:localfs');

/** What the latest upload changed, so that undo can put it back. */
interface LocalFsUpload {
  /** A hard link (or copy) of the package the upload replaced; absent when there was none. */
  readonly previous?: string;
  /** The topmost directory the upload had to create, removed again by undo when left empty. */
  readonly createdDirectory?: string;
}

/**
 * Copies packages into a directory per cluster, role and topology on this machine (or a shared mount) and returns
 * `file:` URIs. The copy is staged under a hidden name in the same directory, synced, and renamed over the
 * package, so a reader sees the old package or the new one, never part of one. The package it replaces is kept as a
 * hard link until {@link close}, for {@link undo}.
 */
@injectable()
export class LocalFsUploader implements Uploader {
  private readonly directory: string;
  private readonly fileName: string;
  private readonly destination: string;
  private latest: LocalFsUpload | undefined;
  private readonly operations: UploaderOperations;

  constructor(@inject(LocalFsUploaderConfig) config: LocalFsUploaderConfig, @inject(TopologyRuntime) runtime: TopologyRuntime) {
    this.directory = resolve(config[LocalFsUploaderKeys.DIRECTORY]);
    this.fileName = packageFileName(runtime);
    this.destination = join(this.directory, this.fileName);
    this.operations = new UploaderOperations(this.destination);
  }

  /**
   * Copies `packageFile` to `<directory>/<topology>.tar.gz` and returns its `file:` URI. Throws
   * UPLOADER_PACKAGE_UNREADABLE for a missing or unreadable package, UPLOADER_ACCESS_DENIED when the directory is
   * not writable, UPLOADER_FAILED when the disk is full or after {@link close}; the previous package then stays.
   */
  async upload(packageFile: string): Promise<string> {
    return this.operations.run('upload', async () => {
      const size = await checkPackageFile(packageFile);
      const doing = `uploading ${packageFile} to ${this.destination}`;
      let createdDirectory: string | undefined;
      try {
        createdDirectory = await mkdir(this.directory, { recursive: true });
      } catch (error) {
        throw uploadError(`${doing}: creating ${this.directory}`, error);
      }
      await this.removeAbandonedStaging();
      let staged: StagedFile | undefined;
      let previous: string | undefined;
      try {
        staged = await stageFile(this.destination, createReadStream(packageFile), { expectedBytes: size });
        previous = await this.keepPrevious();
        await staged.commit();
      } catch (error) {
        await staged?.discard();
        if (previous) await rm(previous, { force: true });
        if (createdDirectory) await this.removeCreatedDirectories(createdDirectory);
        // Whatever is not about writing the directory is about reading the package (it vanished or shrank mid-copy).
        if (error instanceof DestinationWriteError) throw uploadError(doing, error);
        throw new UploaderError(`${doing}: reading the package failed: ${messageOf(error)}`, { code: 'UPLOADER_PACKAGE_UNREADABLE', cause: error });
      }
      // Only the state before the latest upload is restored: the backup an earlier upload kept is not needed.
      if (this.latest?.previous) await rm(this.latest.previous, { force: true });
      this.latest = { ...(previous ? { previous } : {}), ...(createdDirectory ? { createdDirectory } : {}) };
      log.debug('uploaded', { packageFile, destination: this.destination, replaced: previous !== undefined });
      return pathToFileURL(this.destination).href;
    });
  }

  /**
   * Puts back the package the latest upload replaced (renamed over the new one in one step), or removes the new one
   * and the directories the upload created when there was none. A no-op when nothing was uploaded or the upload was
   * already undone. Throws UPLOADER_UNDO_FAILED naming the path, and then can be retried.
   */
  async undo(): Promise<void> {
    return this.operations.run('undo', async () => {
      const latest = this.latest;
      if (!latest) return;
      try {
        if (latest.previous) {
          await rename(latest.previous, this.destination);
        } else {
          await rm(this.destination, { force: true });
          if (latest.createdDirectory) await this.removeCreatedDirectories(latest.createdDirectory);
        }
      } catch (error) {
        throw undoError(`restoring ${this.destination} as it was before the upload`, error);
      }
      this.latest = undefined;
    });
  }

  /** Drops the copy of the replaced package (after which undo has nothing to restore). Safe to call twice. */
  async close(): Promise<void> {
    if (!this.operations.close()) return;
    if (this.latest?.previous) await rm(this.latest.previous, { force: true });
    this.latest = undefined;
  }

  /** Hard-links the current package under a staging name (copies it where links are refused); undefined if none. */
  private async keepPrevious(): Promise<string | undefined> {
    const backup = join(this.directory, stagingName(this.fileName, 'previous'));
    try {
      await link(this.destination, backup);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EMLINK') throw new DestinationWriteError(`keeping ${this.destination} for undo`, { cause: error });
      await copyFile(this.destination, backup, constants.COPYFILE_EXCL).catch((copyError: unknown) => {
        throw new DestinationWriteError(`keeping ${this.destination} for undo`, { cause: copyError });
      });
    }
    return backup;
  }

  /** Removes what killed uploads of this package left (their staging names say whose they were). */
  private async removeAbandonedStaging(): Promise<void> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(this.directory, name);
      const modified = await stat(path).then((s) => s.mtimeMs, () => undefined);
      if (modified !== undefined && isAbandonedStaging(name, this.fileName, modified)) {
        log.info('removing what an interrupted upload left', { path });
        await rm(path, { force: true });
      }
    }
  }

  /** Removes, deepest first, the directories from `this.directory` up to `topmost` that are empty. */
  private async removeCreatedDirectories(topmost: string): Promise<void> {
    if (relative(topmost, this.directory).startsWith('..')) return;
    for (let dir = this.directory; ; dir = dirname(dir)) {
      if (!(await rmdir(dir).then(() => true, () => false))) return;
      if (dir === topmost) return;
    }
  }
}
