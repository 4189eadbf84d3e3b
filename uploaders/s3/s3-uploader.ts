import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { inject, injectable } from 'inversify';
import { isAbandonedStaging, stagingName } from '../../core/download/staging-name.js';
import { createLogger } from '../../core/logging.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import type { Uploader } from '../../core/spi/uploader.js';
import { checkPackageFile } from '../../core/uploader/package-file.js';
import { UploaderOperations } from '../../core/uploader/uploader-operations.js';
import { packageFileName } from '../../core/uploader/package-location.js';
import { undoError, uploadError } from '../../core/uploader/upload-error.js';
import { createS3Client, describeS3Error, s3FailureOf, s3Uri } from './s3-client.js';
import { loadS3Sdk, type S3Sdk } from './s3-sdk.js';
import { S3_DEFAULT_PREFIX, S3UploaderConfig, S3UploaderKeys } from './s3-uploader-config.js';

const log = createLogger('uploader:s3');

/**
 * Puts packages in an S3 bucket under `<prefix>/<topology>.tar.gz` and returns `s3://bucket/key`, or a presigned
 * HTTPS GET URL when `presign` is on. S3 itself never shows an object before its PUT (or the completion of its
 * multipart upload) succeeds, so the upload goes straight to the key: the in-flight upload is the temporary name, and
 * a failed or killed one leaves no object (parts of a killed multipart upload stay invisible until the bucket's
 * lifecycle rule for incomplete uploads removes them). The package it replaces is copied to a staging key until
 * {@link close}, for {@link undo}.
 */
@injectable()
export class S3Uploader implements Uploader {
  private connection: Promise<{ client: S3Client; sdk: S3Sdk }> | undefined;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly fileName: string;
  private readonly key: string;
  /** Set once an upload succeeded: the staging key of the package it replaced, null when there was none. */
  private previous: string | null | undefined;
  private readonly operations: UploaderOperations;

  constructor(@inject(S3UploaderConfig) private readonly config: S3UploaderConfig, @inject(TopologyRuntime) runtime: TopologyRuntime) {
    this.bucket = config[S3UploaderKeys.BUCKET];
    this.prefix = config[S3UploaderKeys.PREFIX].replace(/^\/+|\/+$/g, '');
    this.fileName = packageFileName(runtime);
    this.key = this.keyOf(this.fileName);
    this.operations = new UploaderOperations(`s3://${this.bucket}/${this.key}`);
  }

  /**
   * Uploads `packageFile` (in parts when larger than `multipart.part.size`) and returns its URI. Throws
   * UPLOADER_PACKAGE_UNREADABLE, UPLOADER_TARGET_NOT_FOUND (no such bucket), UPLOADER_ACCESS_DENIED (403, bad
   * credentials), UPLOADER_UNREACHABLE (refused, or silent for `timeout.ms` on each of `max.attempts` tries), else
   * UPLOADER_FAILED; the previous package then stays as it was.
   */
  async upload(packageFile: string): Promise<string> {
    return this.operations.run('upload', async () => {
      const size = await checkPackageFile(packageFile);
      const target = `s3://${this.bucket}/${this.key}`;
      const { client, sdk } = await this.step(`uploading ${packageFile} to ${target}: loading the AWS SDK`, () => this.connect());
      await this.step(`uploading ${packageFile} to ${target}: checking the bucket`, () => client.send(new sdk.client.HeadBucketCommand({ Bucket: this.bucket })));
      await this.removeAbandonedCopies();
      const previous = await this.step(`uploading ${packageFile} to ${target}: keeping the current package`, () => this.keepPrevious());
      try {
        const upload = new sdk.storage.Upload({
          client,
          params: { Bucket: this.bucket, Key: this.key, Body: createReadStream(packageFile), ContentLength: size, ContentType: 'application/gzip' },
          partSize: this.config[S3UploaderKeys.PART_SIZE],
          queueSize: 2,
          leavePartsOnError: false,
        });
        await upload.done();
      } catch (error) {
        if (previous) await this.deleteQuietly(previous);
        throw uploadError(`uploading ${packageFile} to ${target}`, describeS3Error(error), s3FailureOf(error));
      }
      if (this.previous) await this.deleteQuietly(this.previous);
      this.previous = previous;
      log.debug('uploaded', { packageFile, target, replaced: previous !== null });
      return this.uriOfPackage();
    });
  }

  /**
   * Copies back the package the latest upload replaced, or deletes the uploaded one when there was none. A no-op
   * when nothing was uploaded or it was already undone. Throws UPLOADER_UNDO_FAILED naming the object; it can be
   * retried.
   */
  async undo(): Promise<void> {
    return this.operations.run('undo', async () => {
      if (this.previous === undefined) return;
      const target = `s3://${this.bucket}/${this.key}`;
      try {
        const { client, sdk } = await this.connect();
        if (this.previous) {
          await client.send(new sdk.client.CopyObjectCommand({ Bucket: this.bucket, Key: this.key, CopySource: this.copySource(this.previous) }));
          await this.deleteQuietly(this.previous);
        } else {
          await client.send(new sdk.client.DeleteObjectCommand({ Bucket: this.bucket, Key: this.key }));
        }
      } catch (error) {
        throw undoError(`restoring ${target} as it was before the upload`, describeS3Error(error));
      }
      this.previous = undefined;
    });
  }

  /** Deletes the copy of the replaced package and closes the client's connections. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.operations.close()) return;
    if (this.previous) await this.deleteQuietly(this.previous);
    this.previous = undefined;
    const connection = await this.connection?.catch(() => undefined);
    connection?.client.destroy();
  }

  /** The client, created (and the SDK imported) on first use. */
  private connect(): Promise<{ client: S3Client; sdk: S3Sdk }> {
    this.connection ??= Promise.all([createS3Client(this.config), loadS3Sdk()]).then(([client, sdk]) => ({ client, sdk }));
    return this.connection;
  }

  private async step<T>(doing: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      const failure = s3FailureOf(error);
      const detail = failure === 'not-found' ? `bucket '${this.bucket}' does not exist` : undefined;
      throw uploadError(detail ? `${doing}: ${detail}` : doing, describeS3Error(error), failure);
    }
  }

  /** Copies the current package to a staging key; null when there is none. */
  private async keepPrevious(): Promise<string | null> {
    const { client, sdk } = await this.connect();
    try {
      await client.send(new sdk.client.HeadObjectCommand({ Bucket: this.bucket, Key: this.key }));
    } catch (error) {
      if (s3FailureOf(error) === 'not-found') return null;
      throw error;
    }
    const copy = this.keyOf(stagingName(this.fileName, 'previous'));
    await client.send(new sdk.client.CopyObjectCommand({ Bucket: this.bucket, Key: copy, CopySource: this.copySource(this.key) }));
    return copy;
  }

  /** Deletes the copies that killed uploads kept (best effort: a failure here must not stop the upload). */
  private async removeAbandonedCopies(): Promise<void> {
    try {
      const { client, sdk } = await this.connect();
      const listed = await client.send(new sdk.client.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyOf(`.${this.fileName}.`) }));
      for (const object of listed.Contents ?? []) {
        const name = object.Key?.slice(object.Key.lastIndexOf('/') + 1) ?? '';
        if (object.Key && isAbandonedStaging(name, this.fileName, object.LastModified?.getTime() ?? Date.now())) {
          log.info('removing the copy an interrupted upload kept', { bucket: this.bucket, key: object.Key });
          await this.deleteQuietly(object.Key);
        }
      }
    } catch (error) {
      log.debug('could not list abandoned copies', { bucket: this.bucket, error: String(error) });
    }
  }

  private async deleteQuietly(key: string): Promise<void> {
    try {
      const { client, sdk } = await this.connect();
      await client.send(new sdk.client.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      log.warn('could not delete a staging copy', { bucket: this.bucket, key, error: String(error) });
    }
  }

  private async uriOfPackage(): Promise<string> {
    if (!this.config[S3UploaderKeys.PRESIGN]) return s3Uri(this.bucket, this.key);
    const expiresIn = this.config[S3UploaderKeys.PRESIGN_TTL_SECS];
    const { client, sdk } = await this.connect();
    return this.step(`presigning a GET of s3://${this.bucket}/${this.key}`, () =>
      sdk.presigner.getSignedUrl(client, new sdk.client.GetObjectCommand({ Bucket: this.bucket, Key: this.key }), { expiresIn }),
    );
  }

  private keyOf(name: string): string {
    return this.prefix === '' ? name : `${this.prefix}/${name}`;
  }

  private copySource(key: string): string {
    return `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }
}
