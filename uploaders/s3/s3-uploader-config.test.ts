import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MiB } from '../../api/byte-amount.js';
import { Config } from '../../core/config/config.js';
import { validatePluginConfig } from '../../core/plugins/plugin-config-validator.js';
import { s3UploaderPlugin } from './s3-uploader-plugin.js';
import { S3_DEFAULT_PREFIX } from './s3-uploader-config.js';

function validate(values: Record<string, string | number | boolean>) {
  const config = new Config([{ source: { kind: 'file', file: '/conf/c/uploader.yaml' }, values: new Map(Object.entries(values).map(([key, value], i) => [key, { value, source: { kind: 'file', file: '/conf/c/uploader.yaml', line: i + 1 } }])) }]);
  return validatePluginConfig(s3UploaderPlugin, config);
}

describe('the s3 uploader’s config', () => {
  it('needs only a bucket, with defaults for the rest', () => {
    assert.deepEqual(validate({ 'egret.uploader.s3.bucket': 'my-packages' }), {
      'egret.uploader.s3.bucket': 'my-packages',
      'egret.uploader.s3.prefix': S3_DEFAULT_PREFIX,
      'egret.uploader.s3.presign': false,
      'egret.uploader.s3.presign.ttl.secs': 604800,
      'egret.uploader.s3.multipart.part.size': 8 * MiB,
      'egret.uploader.s3.path.style': false,
      'egret.uploader.s3.timeout.ms': 30000,
      'egret.uploader.s3.max.attempts': 3,
    });
  });

  it('rejects a missing or malformed bucket, a part under 5 MiB and presigned URLs over 7 days, naming file and line', () => {
    assert.throws(() => validate({}), { code: 'PLUGIN_CONFIG_INVALID', message: /unset: egret\.uploader\.s3\.bucket: expected a bucket name/ });
    assert.throws(() => validate({ 'egret.uploader.s3.bucket': 'B' }), { message: /uploader\.yaml:1: egret\.uploader\.s3\.bucket: expected a bucket name \(3-63/ });
    assert.throws(() => validate({ 'egret.uploader.s3.bucket': 'ok-bucket', 'egret.uploader.s3.multipart.part.size': '1MiB' }), { message: /part\.size: expected a part size of at least 5MiB/ });
    assert.throws(() => validate({ 'egret.uploader.s3.bucket': 'ok-bucket', 'egret.uploader.s3.presign.ttl.secs': 604801 }), { message: /presign\.ttl\.secs: expected a whole number of seconds from 1 to 604800/ });
  });

  it('wants both halves of a static key pair or neither (the SDK’s chain)', () => {
    assert.throws(() => validate({ 'egret.uploader.s3.bucket': 'ok-bucket', 'egret.uploader.s3.access.key': 'AKIA' }), {
      message: /egret\.uploader\.s3\.secret\.key: expected a value, since egret\.uploader\.s3\.access\.key is set/,
    });
    assert.equal(validate({ 'egret.uploader.s3.bucket': 'ok-bucket', 'egret.uploader.s3.access.key': 'AKIA', 'egret.uploader.s3.secret.key': 's' })['egret.uploader.s3.secret.key'], 's');
  });
});
