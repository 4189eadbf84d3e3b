import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploaderOperations } from './uploader-operations.js';

describe('UploaderOperations', () => {
  it('runs one operation at a time, naming the target when it refuses a second', async () => {
    const operations = new UploaderOperations('s3://b/k');
    let release = () => {};
    const first = operations.run('upload', () => new Promise<string>((resolve) => (release = () => resolve('done'))));
    await assert.rejects(operations.run('undo', async () => 'x'), { code: 'UPLOADER_UNDO_FAILED', message: 'cannot undo s3://b/k: another upload or undo is running' });
    release();
    assert.equal(await first, 'done');
    assert.equal(await operations.run('undo', async () => 'again'), 'again');
  });

  it('refuses everything after close, and says whether close was the first', async () => {
    const operations = new UploaderOperations('/p');
    assert.equal(operations.close(), true);
    assert.equal(operations.close(), false);
    await assert.rejects(operations.run('upload', async () => 'x'), { code: 'UPLOADER_FAILED', message: 'cannot upload /p: the uploader is closed' });
  });
});
