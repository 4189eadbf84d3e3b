import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { injectable } from 'inversify';
import { messageOf } from '../errors.js';
import { type Downloader, DownloaderError } from '../spi/downloader.js';
import { writeFileAtomically } from './atomic-file.js';
import { downloadError } from './download-error.js';

/** Copies `file:` URIs (what the localfs uploader returns) on this machine. */
@injectable()
export class FileDownloader implements Downloader {
  readonly schemes = ['file'] as const;

  /**
   * Copies the file `uri` names to `destination` (staged and renamed, so it appears whole or not at all). Throws
   * DOWNLOADER_NOT_FOUND when there is no regular file there, DOWNLOADER_ACCESS_DENIED when it cannot be read,
   * DOWNLOADER_FAILED for a URI naming another host and for failures to write `destination` (disk full).
   */
  async download(uri: string, destination: string): Promise<void> {
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch (error) {
      throw new DownloaderError(`cannot download '${uri}': not a local file URI (${messageOf(error)})`, { code: 'DOWNLOADER_FAILED', cause: error });
    }
    try {
      const status = await stat(path);
      if (!status.isFile()) throw new DownloaderError(`cannot download '${uri}': not a regular file`, { code: 'DOWNLOADER_NOT_FOUND' });
      await writeFileAtomically(destination, createReadStream(path), { expectedBytes: status.size });
    } catch (error) {
      throw downloadError(uri, destination, error);
    }
  }
}
