import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { ConfigValue } from '../../api/config-value.js';
import { isEgretError } from '../../core/errors.js';
import { S3SigningProxy } from '../doubles/s3-signing-proxy.js';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { downloadersFor, sha256Of, testRuntime, uploaderFromPlugin, writePackage } from '../contracts/uploader-harness.js';
import { s3DownloaderModule } from '../../uploaders/s3/s3-downloader-module.js';
import { s3UploaderPlugin } from '../../uploaders/s3/s3-uploader-plugin.js';
import { smallTmpfsUnavailable, spawnWithSmallTmpfs } from './small-tmpfs.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
const BUCKET = 'egret-failures';

/** When a SigV4 presigned URL stops working: its X-Amz-Date (UTC, whole seconds) plus X-Amz-Expires seconds. */
function presignedExpiry(uri: string): number {
  const query = new URL(uri).searchParams;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  assert.ok(date, `no X-Amz-Date in ${uri}`);
  const [, y, mo, d, h, mi, s] = date.map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + Number(query.get('X-Amz-Expires')) * 1000;
}

function uploaderError(code: string, ...fragments: RegExp[]) {
  return (error: unknown) => {
    assert.ok(isEgretError(error), String(error));
    assert.equal(error.code, code, error.message);
    for (const fragment of fragments) assert.match(error.message, fragment);
    return true;
  };
}

describe('the s3 uploader against s3rver', () => {
  let s3: S3TestServer;
  let proxy: S3SigningProxy;
  let lister: S3Client;
  let topologies = 0;
  const dir = tempDir();

  before(async () => {
    s3 = await startS3Server({ buckets: [BUCKET] });
    proxy = await S3SigningProxy.start(s3.endpoint, { [S3RVER_CREDENTIALS.accessKeyId]: S3RVER_CREDENTIALS.secretAccessKey });
    lister = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  });
  after(async () => {
    lister.destroy();
    await proxy.close();
    await s3.close();
  });

  const base = (): Record<string, ConfigValue> => ({
    'egret.uploader.s3.bucket': BUCKET,
    'egret.uploader.s3.endpoint': proxy.endpoint,
    'egret.uploader.s3.path.style': true,
    'egret.uploader.s3.access.key': S3RVER_CREDENTIALS.accessKeyId,
    'egret.uploader.s3.secret.key': S3RVER_CREDENTIALS.secretAccessKey,
    'egret.uploader.s3.timeout.ms': 2000,
  });
  const setUp = async (overrides: Record<string, ConfigValue> = {}) => {
    const runtime = testRuntime(`s3-${++topologies}`);
    const values = { ...base(), ...overrides };
    return { runtime, values, uploader: await uploaderFromPlugin(s3UploaderPlugin, values, runtime) };
  };
  const stored = async (topology: string) => {
    const listed = await lister.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `egret/packages/test/tester/${topology}/` }));
    return (listed.Contents ?? []).map((object) => object.Key);
  };

  it('signs every request with SigV4, as the proxy verifies against the secret key', async () => {
    const { uploader } = await setUp();
    const from = proxy.records.length;
    await uploader.upload((await writePackage(dir, 'signed.tar.gz', 1000)).path);
    await uploader.close();
    const records = proxy.records.slice(from);
    assert.ok(records.length >= 3);
    for (const record of records) {
      assert.deepEqual(record.verdict, { mechanism: 'header', accessKeyId: 'S3RVER', problems: [] }, `${record.method} ${record.target}`);
      assert.match(record.amzDate ?? '', /^\d{8}T\d{6}Z$/);
      assert.match(record.contentSha256 ?? '', /^([0-9a-f]{64}|UNSIGNED-PAYLOAD|STREAMING-[A-Z0-9-]+)$/);
    }
  });

  it('fails with UPLOADER_ACCESS_DENIED when the signature is wrong (a bad secret key), naming the bucket', async () => {
    const { uploader, runtime } = await setUp({ 'egret.uploader.s3.secret.key': 'not-the-secret' });
    await assert.rejects(uploader.upload((await writePackage(dir, 'bad-secret.tar.gz', 1000)).path), uploaderError('UPLOADER_ACCESS_DENIED', /s3:\/\/egret-failures\//, /SignatureDoesNotMatch|access denied/));
    assert.deepEqual(await stored(runtime.topologyName), []);
  });

  it('fails with UPLOADER_ACCESS_DENIED for an access key S3 does not know (403 InvalidAccessKeyId)', async () => {
    const { uploader } = await setUp({ 'egret.uploader.s3.endpoint': s3.endpoint, 'egret.uploader.s3.access.key': 'NOBODY' });
    await assert.rejects(uploader.upload((await writePackage(dir, 'unknown-key.tar.gz', 1000)).path), uploaderError('UPLOADER_ACCESS_DENIED', /egret-failures/));
  });

  it('fails with UPLOADER_TARGET_NOT_FOUND for a bucket that does not exist, creating nothing', async () => {
    const { uploader } = await setUp({ 'egret.uploader.s3.bucket': 'no-such-bucket' });
    await assert.rejects(uploader.upload((await writePackage(dir, 'no-bucket.tar.gz', 1000)).path), uploaderError('UPLOADER_TARGET_NOT_FOUND', /bucket 'no-such-bucket' does not exist/));
  });

  it('fails with UPLOADER_UNREACHABLE when the connection is refused', async () => {
    const spare = createServer().listen(0, '127.0.0.1');
    await once(spare, 'listening');
    const port = (spare.address() as { port: number }).port;
    await new Promise((resolve) => spare.close(resolve));
    const { uploader } = await setUp({ 'egret.uploader.s3.endpoint': `http://127.0.0.1:${port}`, 'egret.uploader.s3.max.attempts': 1 });
    const started = Date.now();
    await assert.rejects(uploader.upload((await writePackage(dir, 'refused.tar.gz', 1000)).path), uploaderError('UPLOADER_UNREACHABLE', /ECONNREFUSED/));
    assert.ok(Date.now() - started < 2000);
  });

  it('fails with UPLOADER_UNREACHABLE within timeout.ms × max.attempts when the server hangs, leaving nothing', async () => {
    const { uploader, runtime } = await setUp({ 'egret.uploader.s3.timeout.ms': 300, 'egret.uploader.s3.max.attempts': 2 });
    proxy.hang(true);
    const started = Date.now();
    try {
      await assert.rejects(uploader.upload((await writePackage(dir, 'hang.tar.gz', 1000)).path), uploaderError('UPLOADER_UNREACHABLE', /egret-failures/));
    } finally {
      proxy.hang(false);
    }
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 300 && elapsed < 1500, `failed after ${elapsed} ms`);
    assert.deepEqual(await stored(runtime.topologyName), []);
    await uploader.close();
  });

  it('puts small packages with one PUT and large ones in parts (multipart)', async () => {
    const { uploader, runtime } = await setUp({ 'egret.uploader.s3.multipart.part.size': '5MiB' });
    const key = `/${BUCKET}/egret/packages/test/tester/${runtime.topologyName}/${runtime.topologyName}.tar.gz`;
    let from = proxy.records.length;
    await uploader.upload((await writePackage(dir, 'small.tar.gz', 1000)).path);
    const small = proxy.records.slice(from).filter((r) => r.target.startsWith(key));
    assert.deepEqual(small.map((r) => `${r.method} ${r.target.slice(key.length)}`), ['HEAD ', 'PUT ?x-id=PutObject']);
    from = proxy.records.length;
    await uploader.upload((await writePackage(dir, 'large.tar.gz', 11 * 1024 * 1024)).path);
    const large = proxy.records.slice(from).filter((r) => r.target.startsWith(key)).map((r) => `${r.method} ${r.target.slice(key.length).replace(/uploadId=[^&]+/, 'uploadId=…')}`);
    assert.ok(large.includes('POST ?uploads='), large.join(', '));
    assert.equal(large.filter((r) => /^PUT \?partNumber=\d&uploadId=…/.test(r)).length, 3, large.join(', '));
    assert.ok(large.some((r) => r.startsWith('POST ?uploadId=')), large.join(', '));
    await uploader.close();
  });

  it('returns presigned HTTPS GET URLs when asked, fetched by the http downloader with no credentials; they expire', async () => {
    // X-Amz-Date has whole seconds, so a 1 s URL may be expired at once on a loaded machine: give it 5 s, and wait
    // for the expiry the URL itself states before expecting a refusal.
    const { uploader, values } = await setUp({ 'egret.uploader.s3.presign': true, 'egret.uploader.s3.presign.ttl.secs': 5 });
    const pkg = await writePackage(dir, 'presigned.tar.gz', 5000);
    const uri = await uploader.upload(pkg.path);
    assert.match(uri, /^http:\/\/127\.0\.0\.1:\d+\/egret-failures\/.*X-Amz-Algorithm=AWS4-HMAC-SHA256.*X-Amz-Expires=5/);
    const downloads = await downloadersFor(s3UploaderPlugin, { 'egret.uploader.s3.bucket': values['egret.uploader.s3.bucket'] as string }, [s3DownloaderModule]);
    await downloads.download(uri, join(dir, 'presigned-copy'));
    assert.equal(await sha256Of(join(dir, 'presigned-copy')), pkg.sha256);
    assert.deepEqual(proxy.records.at(-1)?.verdict.mechanism, 'query');
    assert.deepEqual(proxy.records.at(-1)?.verdict.problems, []);
    await sleep(Math.max(0, presignedExpiry(uri) + 1000 - Date.now()));
    await assert.rejects(downloads.download(uri, join(dir, 'expired-copy')), (error: unknown) => isEgretError(error) && error.code === 'DOWNLOADER_ACCESS_DENIED' && !error.message.includes('X-Amz-Signature'));
    await uploader.close();
  });

  it('fails with UPLOADER_FAILED when S3 cannot store the object (s3rver on a full disk answers 500), keeping the previous package', { skip: smallTmpfsUnavailable(), timeout: 30_000 }, async () => {
    const mountPoint = tempDir();
    const child = spawnWithSmallTmpfs(mountPoint, 1024 * 1024, new URL('./s3rver-child.js', import.meta.url).pathname, [join(mountPoint, 'data'), 'egret-full']);
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    const exited = once(child, 'exit');
    try {
      let port: number | undefined;
      for await (const chunk of child.stdout ?? []) {
        output += chunk;
        port = Number(/listening (\d+)/.exec(output)?.[1]) || undefined;
        if (port) break;
      }
      assert.ok(port, `s3rver did not start on the tmpfs: ${output}`);
      const values = { ...base(), 'egret.uploader.s3.endpoint': `http://127.0.0.1:${port}`, 'egret.uploader.s3.bucket': 'egret-full', 'egret.uploader.s3.max.attempts': 1 };
      const runtime = testRuntime(`s3-full-${++topologies}`);
      const uploader = await uploaderFromPlugin(s3UploaderPlugin, values, runtime);
      const fits = await writePackage(dir, 'fits-s3.tar.gz', 100 * 1024);
      const uri = await uploader.upload(fits.path);
      await assert.rejects(uploader.upload((await writePackage(dir, 'too-large-s3.tar.gz', 2 * 1024 * 1024)).path), uploaderError('UPLOADER_FAILED', /s3:\/\/egret-full\//, /HTTP 500/));
      const downloads = await downloadersFor(s3UploaderPlugin, values, [s3DownloaderModule]);
      await downloads.download(uri, join(dir, 'fits-copy'));
      assert.equal(await sha256Of(join(dir, 'fits-copy')), fits.sha256);
      await uploader.close();
    } finally {
      child.stdin?.end();
      await exited;
    }
  });
});
