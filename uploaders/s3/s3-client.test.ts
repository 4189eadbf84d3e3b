import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeS3Error, parseS3Uri, s3FailureOf, s3Uri } from './s3-client.js';

const s3Error = (name: string, status?: number, message = 'UnknownError') => Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe('s3 URIs and errors', () => {
  it('round-trips s3:// URIs, percent-encoding key segments', () => {
    const uri = s3Uri('bucket', 'egret/packages/a b/100%.tar.gz');
    assert.equal(uri, 's3://bucket/egret/packages/a%20b/100%25.tar.gz');
    assert.deepEqual(parseS3Uri(uri), { bucket: 'bucket', key: 'egret/packages/a b/100%.tar.gz' });
    assert.equal(parseS3Uri('s3://bucket'), undefined);
    assert.equal(parseS3Uri('https://bucket/key'), undefined);
  });

  it('classifies S3 errors by name, then HTTP status, then network error', () => {
    assert.equal(s3FailureOf(s3Error('NoSuchBucket', 404)), 'not-found');
    assert.equal(s3FailureOf(s3Error('NotFound', 404)), 'not-found');
    assert.equal(s3FailureOf(s3Error('InvalidAccessKeyId', 403)), 'access-denied');
    assert.equal(s3FailureOf(s3Error('Unknown', 403)), 'access-denied');
    assert.equal(s3FailureOf(s3Error('CredentialsProviderError')), 'access-denied');
    assert.equal(s3FailureOf(s3Error('TimeoutError')), 'unreachable');
    assert.equal(s3FailureOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), 'unreachable');
    assert.equal(s3FailureOf(s3Error('SlowDown', 503)), 'unreachable');
    assert.equal(s3FailureOf(s3Error('InternalError', 500)), 'failed');
  });

  it('describes body-less answers by their status', () => {
    assert.equal(describeS3Error(s3Error('Unknown', 403)).message, 'HTTP 403');
    assert.equal(describeS3Error(s3Error('NoSuchKey', 404, 'The specified key does not exist.')).message, 'HTTP 404 NoSuchKey: The specified key does not exist.');
    const plain = new Error('socket hang up');
    assert.equal(describeS3Error(plain), plain);
  });
});
