import { EgretError } from '../errors.js';

export type DownloaderErrorCode =
  /** No downloader handles the URI's scheme. */
  | 'DOWNLOADER_UNSUPPORTED_SCHEME'
  /** Nothing exists at the URI. */
  | 'DOWNLOADER_NOT_FOUND'
  | 'DOWNLOADER_ACCESS_DENIED'
  /** The source could not be reached, or did not answer within the timeout. */
  | 'DOWNLOADER_UNREACHABLE'
  | 'DOWNLOADER_FAILED';

/** Thrown by {@link Downloader.download}; the message names the URI. */
export class DownloaderError extends EgretError<DownloaderErrorCode> {}

/** DI token under which every {@link Downloader} is bound; the executor picks one by the URI's scheme. */
export const Downloader: unique symbol = Symbol.for('egret.spi.Downloader');

/** Fetches a topology package from the URI an {@link Uploader} returned (file, s3, hdfs/webhdfs, http/https). */
export interface Downloader {
  /** URI schemes handled, lower-case, without the colon: `['file']`, `['http', 'https']`. */
  readonly schemes: readonly string[];
  /**
   * Writes the resource at `uri` to the file `destination` (whose directory exists). The file appears complete or
   * not at all. Throws {@link DownloaderError}.
   */
  download(uri: string, destination: string): Promise<void>;
}
