import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { DestinationWriteError, ShortTransferError, stageFile, writeFileAtomically } from './atomic-file.js';
import { IdleTimer } from './idle-timer.js';

describe('atomic file writes (the downloads’ and the localfs uploader’s)', () => {
  it('stages beside the destination under a hidden staging name, and commits with one rename over the old file', async () => {
    const dir = tempDir({ 'pkg.tar.gz': 'old' });
    const staged = await stageFile(join(dir, 'pkg.tar.gz'), Readable.from([Buffer.from('new '), Buffer.from('bytes')]));
    assert.match(staged.path, /\/\.pkg\.tar\.gz\.[^/]+\.\d+\.[0-9a-f]{8}\.partial$/);
    assert.equal(readFileSync(join(dir, 'pkg.tar.gz'), 'utf8'), 'old', 'nothing visible before the commit');
    await staged.commit();
    assert.equal(readFileSync(join(dir, 'pkg.tar.gz'), 'utf8'), 'new bytes');
    assert.deepEqual(readdirSync(dir), ['pkg.tar.gz']);
  });

  it('removes the staging file and leaves the old one when the source fails or comes up short', async () => {
    const dir = tempDir({ 'pkg.tar.gz': 'old' });
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('source broke'));
      },
    });
    await assert.rejects(writeFileAtomically(join(dir, 'pkg.tar.gz'), failing), /source broke/);
    await assert.rejects(writeFileAtomically(join(dir, 'pkg.tar.gz'), Readable.from([Buffer.from('abc')]), { expectedBytes: 4 }), ShortTransferError);
    assert.deepEqual(readdirSync(dir), ['pkg.tar.gz']);
    assert.equal(readFileSync(join(dir, 'pkg.tar.gz'), 'utf8'), 'old');
  });

  it('reports destination failures as DestinationWriteError with the fs error as cause', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-file'), '');
    await assert.rejects(writeFileAtomically(join(dir, 'a-file', 'pkg'), Readable.from([Buffer.from('x')])), (error: unknown) => {
      assert.ok(error instanceof DestinationWriteError);
      assert.equal((error.cause as NodeJS.ErrnoException).code, 'ENOTDIR');
      return true;
    });
  });

  it('stops a stalled source when an idle timer fires, with the timer’s error, leaving nothing', async () => {
    const dir = tempDir();
    const timer = new IdleTimer(50, 'reading the test stream');
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.from('first chunk'));
    await assert.rejects(writeFileAtomically(join(dir, 'pkg'), stalled, { signal: timer.signal, onProgress: () => timer.touch() }), { code: 'ETIMEDOUT', message: 'reading the test stream: no progress for 50 ms' });
    timer.stop();
    assert.deepEqual(readdirSync(dir), []);
  });
});
