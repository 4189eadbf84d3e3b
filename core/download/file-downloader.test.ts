import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { FileDownloader } from './file-downloader.js';

describe('FileDownloader', () => {
  const downloader = new FileDownloader();

  it('copies the file a file: URI names, whole', async () => {
    const dir = tempDir({ 'store/pkg.tar.gz': 'package bytes', 'out/.keep': '' });
    await downloader.download(pathToFileURL(join(dir, 'store/pkg.tar.gz')).href, join(dir, 'out/pkg.tar.gz'));
    assert.equal(readFileSync(join(dir, 'out/pkg.tar.gz'), 'utf8'), 'package bytes');
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['.keep', 'pkg.tar.gz'], 'no staging file is left');
  });

  it('fails with DOWNLOADER_NOT_FOUND for a missing file or a directory, writing nothing', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a-directory'));
    await assert.rejects(downloader.download(pathToFileURL(join(dir, 'missing.tar.gz')).href, join(dir, 'out')), { code: 'DOWNLOADER_NOT_FOUND', message: /missing\.tar\.gz.*not found/ });
    await assert.rejects(downloader.download(pathToFileURL(join(dir, 'a-directory')).href, join(dir, 'out')), { code: 'DOWNLOADER_NOT_FOUND', message: /not a regular file/ });
    assert.deepEqual(readdirSync(dir), ['a-directory']);
  });

  it('fails with DOWNLOADER_FAILED when the destination cannot be written, or the URI names another host', async () => {
    const dir = tempDir({ 'pkg.tar.gz': 'x' });
    await assert.rejects(downloader.download(pathToFileURL(join(dir, 'pkg.tar.gz')).href, join(dir, 'no-such-dir', 'out')), { code: 'DOWNLOADER_FAILED', message: /writing .*no-such-dir\/out/ });
    await assert.rejects(downloader.download('file://elsewhere/pkg.tar.gz', join(dir, 'out')), { code: 'DOWNLOADER_FAILED', message: /not a local file URI/ });
  });
});
