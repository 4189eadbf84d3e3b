import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { messageOf } from '../errors.js';
import { UploaderError } from '../spi/uploader.js';

/**
 * Checks that the package file to upload is a readable regular file and returns its size in bytes. Uploaders call
 * it before touching their target, so a bad path fails fast and leaves nothing behind. Throws
 * UPLOADER_PACKAGE_UNREADABLE naming the file.
 */
export async function checkPackageFile(packageFile: string): Promise<number> {
  try {
    const status = await stat(packageFile);
    if (!status.isFile()) throw new Error('not a regular file');
    await access(packageFile, constants.R_OK);
    return status.size;
  } catch (error) {
    throw new UploaderError(`cannot upload the package ${packageFile}: ${messageOf(error)}`, { code: 'UPLOADER_PACKAGE_UNREADABLE', cause: error });
  }
}
