import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { inject, injectable } from 'inversify';
import { isAbandonedStaging, stagingName } from '../../core/download/staging-name.js';
import { messageOf } from '../../core/errors.js';
import { createLogger } from '../../core/logging.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import type { Uploader } from '../../core/spi/uploader.js';
import { checkPackageFile } from '../../core/uploader/package-file.js';
import { UploaderOperations } from '../../core/uploader/uploader-operations.js';
import { packageFileName } from '../../core/uploader/package-location.js';
import { undoError, uploadError } from '../../core/uploader/upload-error.js';
import { HDFS_DEFAULT_DIRECTORY, HdfsUploaderConfig, HdfsUploaderKeys } from './hdfs-uploader-config.js';
import { WebHdfsClient } from './webhdfs-client.js';
import { WebHdfsError } from './webhdfs-error.js';
import { namenodeBaseUrl, webHdfsUri } from './webhdfs-uri.js';

const log = createLogger('uploader:hdfs');

/** What the latest upload changed, so that undo can put it back. */
interface HdfsUpload {
  /** Where the replaced package was renamed to; absent when there was none. */
  readonly previous?: string;
  /** True when the upload created the topology's directory (removed again by undo when empty). */
  readonly createdDirectory: boolean;
}

/**
 * Puts packages in HDFS through the WebHDFS REST API and returns `webhdfs://` URIs. The bytes go to a staging name
 * in the topology's directory (CREATE, checked with GETFILESTATUS), then RENAMEs publish it: the current package to
 * a staging name kept for {@link undo}, the new one into place. HDFS shows a file while it is being written and
 * RENAME never overwrites, so between the two renames a reader finds no package for a moment, but never part of one.
 */
@injectable()
export class HdfsUploader implements Uploader {
  private readonly client: WebHdfsClient;
  private readonly baseUrl: string;
  private readonly directory: string;
  private readonly fileName: string;
  private readonly destination: string;
  private latest: HdfsUpload | undefined;
  private readonly operations: UploaderOperations;

  constructor(@inject(HdfsUploaderConfig) config: HdfsUploaderConfig, @inject(TopologyRuntime) runtime: TopologyRuntime) {
    this.baseUrl = namenodeBaseUrl(config[HdfsUploaderKeys.NAMENODE_URI]);
    const token = config[HdfsUploaderKeys.DELEGATION_TOKEN];
    this.client = new WebHdfsClient({
      baseUrl: this.baseUrl,
      user: config[HdfsUploaderKeys.USER] ?? runtime.submitUser,
      ...(token === undefined ? {} : { delegationToken: token }),
      timeoutMs: config[HdfsUploaderKeys.TIMEOUT_MS],
    });
    this.directory = posix.normalize(config[HdfsUploaderKeys.DIRECTORY]).replace(/(.)\/+$/, '$1');
    this.fileName = packageFileName(runtime);
    this.destination = posix.join(this.directory, this.fileName);
    this.operations = new UploaderOperations(webHdfsUri(this.baseUrl, this.destination));
  }

  /**
   * Uploads `packageFile` to `<directory>/<topology>.tar.gz` and returns its `webhdfs://` URI. Throws
   * UPLOADER_PACKAGE_UNREADABLE, UPLOADER_ACCESS_DENIED (AccessControlException, a bad token), UPLOADER_UNREACHABLE
   * (refused, silent for `timeout.ms`, a standby namenode), UPLOADER_TARGET_NOT_FOUND, else UPLOADER_FAILED (a quota
   * exceeded, a short write); the staging file is deleted and the previous package stays.
   */
  async upload(packageFile: string): Promise<string> {
    return this.operations.run('upload', async () => {
      const size = await checkPackageFile(packageFile);
      const target = webHdfsUri(this.baseUrl, this.destination);
      const doing = `uploading ${packageFile} to ${target}`;
      const createdDirectory = await this.step(`${doing}: creating ${this.directory}`, () => this.ensureDirectory());
      await this.removeAbandonedStaging();
      const staging = posix.join(this.directory, stagingName(this.fileName, 'partial'));
      let previous: string | undefined;
      try {
        await this.client.create(staging, () => createReadStream(packageFile), size);
        const stored = await this.client.fileStatus(staging);
        if (stored?.length !== size) throw new WebHdfsError(`the datanode stored ${stored?.length ?? 'no'} bytes of ${size}`, 'failed');
        previous = await this.publish(staging);
      } catch (error) {
        await this.deleteQuietly(staging);
        if (createdDirectory) await this.deleteQuietly(this.directory);
        throw uploadError(doing, error, error instanceof WebHdfsError ? error.failure : undefined);
      }
      if (this.latest?.previous) await this.deleteQuietly(this.latest.previous);
      this.latest = { ...(previous ? { previous } : {}), createdDirectory };
      log.debug('uploaded', { packageFile, target, replaced: previous !== undefined });
      return target;
    });
  }

  /**
   * Renames the package the latest upload replaced back into place (after deleting the new one, since RENAME does
   * not overwrite), or deletes the new one, and the directory the upload created, when there was none. A no-op when
   * nothing was uploaded or it was already undone. Throws UPLOADER_UNDO_FAILED naming the paths; it can be retried.
   */
  async undo(): Promise<void> {
    return this.operations.run('undo', async () => {
      const latest = this.latest;
      if (!latest) return;
      const doing = `restoring ${webHdfsUri(this.baseUrl, this.destination)} as it was before the upload`;
      try {
        await this.client.delete(this.destination);
        if (latest.previous) {
          if (!(await this.client.rename(latest.previous, this.destination))) throw new Error(`RENAME ${latest.previous} to ${this.destination} was refused`);
        } else if (latest.createdDirectory) {
          await this.deleteQuietly(this.directory);
        }
      } catch (error) {
        throw undoError(doing, error);
      }
      this.latest = undefined;
    });
  }

  /** Deletes the kept copy of the replaced package and frees connections. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.operations.close()) return;
    if (this.latest?.previous) await this.deleteQuietly(this.latest.previous);
    this.latest = undefined;
    this.client.close();
  }

  private async step<T>(doing: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw uploadError(doing, error, error instanceof WebHdfsError ? error.failure : undefined);
    }
  }

  /** MKDIRS unless the directory is there; true when this call created it. */
  private async ensureDirectory(): Promise<boolean> {
    const status = await this.client.fileStatus(this.directory);
    if (status?.type === 'DIRECTORY') return false;
    if (status) throw new WebHdfsError(`${this.directory} is a ${status.type.toLowerCase()}, not a directory`, 'failed');
    if (!(await this.client.mkdirs(this.directory))) throw new WebHdfsError(`MKDIRS ${this.directory} answered false`, 'failed');
    return true;
  }

  /**
   * Moves the staged file into place; returns where the replaced package went, undefined if there was none. If the
   * second rename fails the first is reverted; if that fails too, the error says where the old package is.
   */
  private async publish(staging: string): Promise<string | undefined> {
    let previous: string | undefined = posix.join(this.directory, stagingName(this.fileName, 'previous'));
    if (!(await this.client.rename(this.destination, previous))) previous = undefined;
    let published = false;
    try {
      published = await this.client.rename(staging, this.destination);
    } catch (error) {
      await this.restore(previous, error);
      throw error;
    }
    if (!published) {
      const error = new WebHdfsError(`RENAME ${staging} to ${this.destination} was refused`, 'failed');
      await this.restore(previous, error);
      throw error;
    }
    return previous;
  }

  private async restore(previous: string | undefined, cause: unknown): Promise<void> {
    if (!previous) return;
    const restored = await this.client.rename(previous, this.destination).catch(() => false);
    if (!restored) throw new WebHdfsError(`publishing failed (${messageOf(cause)}) and the previous package could not be moved back: it is at ${previous}`, 'failed', undefined, { cause });
  }

  /** Deletes what killed uploads of this package left (their staging names say whose they were). */
  private async removeAbandonedStaging(): Promise<void> {
    const entries = await this.client.listStatus(this.directory).catch(() => []);
    for (const entry of entries) {
      if (isAbandonedStaging(entry.pathSuffix, this.fileName, entry.modificationTime)) {
        const path = posix.join(this.directory, entry.pathSuffix);
        log.info('removing what an interrupted upload left', { path });
        await this.deleteQuietly(path);
      }
    }
  }

  private async deleteQuietly(path: string): Promise<void> {
    await this.client.delete(path).catch((error: unknown) => log.debug('could not delete', { path, error: messageOf(error) }));
  }
}
