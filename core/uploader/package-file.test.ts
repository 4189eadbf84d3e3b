import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { checkPackageFile } from './package-file.js';

describe('checkPackageFile', () => {
  it('returns the size of a readable regular file', async () => {
    const dir = tempDir({ 'p.tar.gz': '12345' });
    assert.equal(await checkPackageFile(join(dir, 'p.tar.gz')), 5);
  });

  it('fails with UPLOADER_PACKAGE_UNREADABLE naming a missing file or a directory', async () => {
    const dir = tempDir();
    await assert.rejects(checkPackageFile(join(dir, 'gone.tar.gz')), { name: 'UploaderError', code: 'UPLOADER_PACKAGE_UNREADABLE', message: /gone\.tar\.gz: ENOENT/ });
    await assert.rejects(checkPackageFile(dir), { code: 'UPLOADER_PACKAGE_UNREADABLE', message: /not a regular file/ });
  });
});
