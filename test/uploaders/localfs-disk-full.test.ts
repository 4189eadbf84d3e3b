import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { writePackage } from '../contracts/uploader-harness.js';
import { smallTmpfsUnavailable, spawnWithSmallTmpfs } from './small-tmpfs.js';

describe('the localfs uploader on a full disk', () => {
  it('fails with UPLOADER_FAILED naming the path and the cause, leaving the previous package and no staging file', { skip: smallTmpfsUnavailable(), timeout: 30_000 }, async () => {
    const dir = tempDir();
    const mountPoint = tempDir();
    const fits = await writePackage(dir, 'fits.tar.gz', 100 * 1024);
    const tooLarge = await writePackage(dir, 'too-large.tar.gz', 400 * 1024);
    // 256 KiB: the first package fits (its hard link for undo takes no space), the second does not.
    const child = spawnWithSmallTmpfs(mountPoint, 256 * 1024, new URL('./localfs-disk-full-child.js', import.meta.url).pathname, [`${mountPoint}/packages`, fits.path, tooLarge.path]);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    child.stdin?.end();
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, output);
    const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { error?: { code: string; message: string }; entries: string[]; leftBytes: number };
    assert.equal(result.error?.code, 'UPLOADER_FAILED');
    assert.match(result.error?.message ?? '', /packages\/full\.tar\.gz: no space left/);
    assert.match(result.error?.message ?? '', /ENOSPC/);
    assert.deepEqual(result.entries, ['full.tar.gz'], 'no staging file is left');
    assert.equal(result.leftBytes, 100 * 1024, 'the previous package is intact');
  });
});
