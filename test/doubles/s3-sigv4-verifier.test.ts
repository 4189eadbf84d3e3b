import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifySigV4 } from './s3-sigv4-verifier.js';

// The worked examples of AWS's "Authenticating Requests: Using the Authorization Header (AWS Signature Version 4)"
// and "Authenticating Requests: Using Query Parameters" pages for S3: bucket examplebucket, us-east-1, 2013-05-24.
const SECRETS = { AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function getObject(signature: string) {
  return {
    method: 'GET',
    target: '/test.txt',
    rawHeaders: [
      'Host', 'examplebucket.s3.amazonaws.com',
      'Range', 'bytes=0-9',
      'x-amz-content-sha256', EMPTY_SHA256,
      'x-amz-date', '20130524T000000Z',
      'Authorization', `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=${signature}`,
    ],
    body: Buffer.alloc(0),
  };
}

describe('the SigV4 verifier of the S3 signing proxy', () => {
  it('accepts AWS’s worked example of a signed GET Object', () => {
    assert.deepEqual(verifySigV4(getObject('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'), SECRETS), { mechanism: 'header', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', problems: [] });
  });

  it('accepts AWS’s worked example of a presigned GET URL', () => {
    const target =
      '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z' +
      '&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const verdict = verifySigV4({ method: 'GET', target, rawHeaders: ['Host', 'examplebucket.s3.amazonaws.com'], body: Buffer.alloc(0) }, SECRETS);
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.mechanism, 'query');
  });

  it('rejects a wrong signature, an unknown key, a body that does not match its hash, and an unsigned request', () => {
    assert.match(verifySigV4(getObject('0'.repeat(64)), SECRETS).problems.join(), /SignatureDoesNotMatch/);
    assert.match(verifySigV4(getObject('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'), {}).problems.join(), /unknown access key id AKIAIOSFODNN7EXAMPLE/);
    const tampered = { ...getObject('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'), body: Buffer.from('extra') };
    assert.match(verifySigV4(tampered, SECRETS).problems.join(), /does not match x-amz-content-sha256/);
    assert.deepEqual(verifySigV4({ method: 'GET', target: '/x', rawHeaders: ['Host', 'h'], body: Buffer.alloc(0) }, SECRETS), { mechanism: 'none', problems: ['the request is not signed'] });
  });
});
