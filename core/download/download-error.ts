import { isEgretError, messageOf } from '../errors.js';
import { DownloaderError } from '../spi/downloader.js';
import { DestinationWriteError } from './atomic-file.js';
import { describeFailure, downloaderCodeOf, failureOfError, type TransferFailure } from './transfer-failure.js';

/**
 * The {@link DownloaderError} for a failed download of `uri` to `destination`, naming both. A DownloaderError passes
 * through; a failure to write the destination is DOWNLOADER_FAILED (the other codes describe the source); anything
 * else gets the code of `failure` when the caller knows it, else of what {@link failureOfError} recognises.
 */
export function downloadError(uri: string, destination: string, error: unknown, failure?: TransferFailure): DownloaderError {
  if (error instanceof DownloaderError || (isEgretError(error) && error.name === 'DownloaderError')) return error as DownloaderError;
  if (error instanceof DestinationWriteError) {
    const cause = failureOfError(error) ?? 'failed';
    return new DownloaderError(`downloading '${uri}': writing ${destination}: ${describeFailure(cause)}: ${messageOf(error.cause)}`, { code: 'DOWNLOADER_FAILED', cause: error });
  }
  const kind = failure ?? failureOfError(error) ?? 'failed';
  return new DownloaderError(`downloading '${uri}' to ${destination}: ${describeFailure(kind)}: ${messageOf(error)}`, { code: downloaderCodeOf(kind), cause: error });
}
