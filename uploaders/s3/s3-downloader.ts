import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { inject, injectable, optional } from 'inversify';
import { downloadError } from '../../core/download/download-error.js';
import { writeFileAtomically } from '../../core/download/atomic-file.js';
import { type Config, EgretConfig } from '../../core/config/config.js';
import { type Downloader, DownloaderError } from '../../core/spi/downloader.js';
import { createS3Client, describeS3Error, parseS3Uri, s3FailureOf } from './s3-client.js';
import { loadS3Sdk } from './s3-sdk.js';
import { type S3ClientConfig, s3ClientConfigSchema, s3ClientConfigShape } from './s3-uploader-config.js';

/**
 * Fetches `s3://bucket/key` URIs with the AWS SDK. It reaches S3 as the s3 uploader does, from the same
 * `egret.uploader.s3.*` client keys (region, endpoint, path style, credentials, timeout) when the process's config
 * has them, else from the SDK's standard chains alone. Presigned URLs are plain https and go to the http downloader.
 */
@injectable()
export class S3Downloader implements Downloader {
  readonly schemes = ['s3'] as const;
  private client: Promise<S3Client> | undefined;

  constructor(@inject(EgretConfig) @optional() private readonly config: Config | undefined) {}

  /**
   * Streams the object to `destination` (staged and renamed: whole or not at all; a body shorter than announced
   * fails). Throws DOWNLOADER_NOT_FOUND (no such bucket or key), DOWNLOADER_ACCESS_DENIED (403, no credentials),
   * DOWNLOADER_UNREACHABLE (refused, silent for the timeout), DOWNLOADER_FAILED for a malformed URI or client keys
   * and for failures to write `destination`.
   */
  async download(uri: string, destination: string): Promise<void> {
    const location = parseS3Uri(uri);
    if (!location) throw new DownloaderError(`cannot download '${uri}': expected s3://<bucket>/<key>`, { code: 'DOWNLOADER_FAILED' });
    const settings = this.clientConfig(uri);
    let body: Readable;
    let length: number | undefined;
    try {
      this.client ??= createS3Client(settings);
      const [client, sdk] = await Promise.all([this.client, loadS3Sdk()]);
      const response = await client.send(new sdk.client.GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
      body = response.Body as Readable;
      length = response.ContentLength;
    } catch (error) {
      throw downloadError(uri, destination, describeS3Error(error), s3FailureOf(error));
    }
    try {
      await writeFileAtomically(destination, body, length === undefined ? {} : { expectedBytes: length });
    } catch (error) {
      throw downloadError(uri, destination, error);
    }
  }

  private clientConfig(uri: string): S3ClientConfig {
    const keys = Object.keys(s3ClientConfigShape);
    const input = Object.fromEntries(keys.filter((key) => this.config?.has(key)).map((key) => [key, this.config?.get(key)]));
    const result = s3ClientConfigSchema.safeParse(input);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      return `${this.config?.describeSource(key) ?? 'unset'}: ${key}: ${issue.message}`;
    });
    throw new DownloaderError(`cannot download '${uri}': invalid S3 client config: ${problems.join('; ')}`, { code: 'DOWNLOADER_FAILED' });
  }
}
