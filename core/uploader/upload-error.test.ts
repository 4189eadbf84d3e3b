import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploaderError } from '../spi/uploader.js';
import { undoError, uploadError, uploaderCodeOf } from './upload-error.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('uploader errors', () => {
  it('maps what went wrong to the contract’s codes', () => {
    assert.equal(uploaderCodeOf('not-found'), 'UPLOADER_TARGET_NOT_FOUND');
    assert.equal(uploaderCodeOf('access-denied'), 'UPLOADER_ACCESS_DENIED');
    assert.equal(uploaderCodeOf('unreachable'), 'UPLOADER_UNREACHABLE');
    assert.equal(uploaderCodeOf('no-space'), 'UPLOADER_FAILED');
    assert.equal(uploaderCodeOf('failed'), 'UPLOADER_FAILED');
  });

  it('says what was being done, what it means and the cause, recognising system errors through causes', () => {
    const error = uploadError('uploading p to /x', new Error('writing /x/p', { cause: errno('ENOSPC') }));
    assert.equal(error.code, 'UPLOADER_FAILED');
    assert.equal(error.message, 'uploading p to /x: no space left: writing /x/p');
    assert.equal(uploadError('uploading', errno('ECONNREFUSED')).code, 'UPLOADER_UNREACHABLE');
    assert.equal(uploadError('uploading', new Error('odd'), 'access-denied').code, 'UPLOADER_ACCESS_DENIED');
    assert.equal(uploadError('uploading', new Error('odd')).code, 'UPLOADER_FAILED');
  });

  it('passes an UploaderError through, and gives undo failures their own code', () => {
    const original = new UploaderError('x', { code: 'UPLOADER_PACKAGE_UNREADABLE' });
    assert.equal(uploadError('uploading', original), original);
    assert.equal(undoError('restoring /x', errno('EACCES')).code, 'UPLOADER_UNDO_FAILED');
  });
});
