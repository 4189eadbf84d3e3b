import type { Readable } from 'node:stream';
import { inject, injectable, optional } from 'inversify';
import { type Downloader, DownloaderError } from '../spi/downloader.js';
import { writeFileAtomically } from './atomic-file.js';
import { downloadError } from './download-error.js';
import { IdleTimer } from './idle-timer.js';
import { describeFailure, downloaderCodeOf, failureOfHttpStatus } from './transfer-failure.js';

/** DI token of the optional {@link HttpDownloaderOptions}. */
export const HttpDownloaderOptions: unique symbol = Symbol.for('egret.download.HttpDownloaderOptions');

/** Settings of the http(s) downloader; the host process may bind them, the defaults suit most. */
export interface HttpDownloaderOptions {
  /** How long the server may stay silent (connecting, before the headers, between chunks); default 30 s. */
  readonly idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** Fetches `http:` and `https:` URIs, such as the presigned S3 URLs the s3 uploader can return. */
@injectable()
export class HttpDownloader implements Downloader {
  readonly schemes = ['http', 'https'] as const;
  private readonly idleTimeoutMs: number;

  constructor(@inject(HttpDownloaderOptions) @optional() options: HttpDownloaderOptions | undefined) {
    this.idleTimeoutMs = options?.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /**
   * GETs `uri` (following up to 5 redirects) and streams the body to `destination`, staged and renamed so the file
   * appears whole or not at all; a body shorter than its Content-Length fails. The bytes are kept as sent: no
   * content decoding, since a `.tar.gz` served with `Content-Encoding: gzip` must stay gzipped. Throws
   * DOWNLOADER_NOT_FOUND (404, 410), DOWNLOADER_ACCESS_DENIED (401, 403, e.g. an expired presigned URL),
   * DOWNLOADER_UNREACHABLE (refused, reset, or silent for the idle timeout), else DOWNLOADER_FAILED.
   */
  async download(uri: string, destination: string): Promise<void> {
    // Imported on first use (before the idle timer starts: loading is not the server's silence): the executor and
    // the scheduler process load every downloader, most packages come by file://, and axios with its dependencies
    // would cost each of those processes ~0.2 s of CPU at start.
    const { default: axios } = await import('axios');
    const timer = new IdleTimer(this.idleTimeoutMs, `GET ${redact(uri)}`);
    try {
      const response = await axios.get<Readable>(uri, {
        responseType: 'stream',
        signal: timer.signal,
        decompress: false,
        headers: { 'Accept-Encoding': 'identity' },
        maxRedirects: 5,
        validateStatus: () => true,
      });
      timer.touch();
      if (response.status < 200 || response.status >= 300) {
        response.data.destroy();
        const failure = failureOfHttpStatus(response.status);
        throw new DownloaderError(`downloading '${redact(uri)}': ${describeFailure(failure)}: HTTP ${response.status} ${response.statusText}`, { code: downloaderCodeOf(failure) });
      }
      const length = Number(response.headers['content-length']);
      await writeFileAtomically(destination, response.data, {
        signal: timer.signal,
        onProgress: () => timer.touch(),
        ...(Number.isSafeInteger(length) && length >= 0 ? { expectedBytes: length } : {}),
      });
    } catch (error) {
      throw downloadError(redact(uri), destination, timer.expired ? timer.signal.reason : error, timer.expired ? 'unreachable' : undefined);
    } finally {
      timer.stop();
    }
  }
}

/** The URI without its query: a presigned URL's signature is a credential and must not reach the logs. */
function redact(uri: string): string {
  const query = uri.indexOf('?');
  return query < 0 ? uri : `${uri.slice(0, query)}?…`;
}
