import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ConfigValue } from '../../api/config-value.js';
import { isEgretError } from '../../core/errors.js';
import { WebHdfsServerDouble } from '../doubles/webhdfs-server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { downloadersFor, sha256Of, testRuntime, uploaderFromPlugin, writePackage } from '../contracts/uploader-harness.js';
import { hdfsUploaderPlugin } from '../../uploaders/hdfs/hdfs-uploader-plugin.js';
import { webHdfsDownloaderModule } from '../../uploaders/hdfs/webhdfs-downloader-module.js';

function failsWith(code: string, ...fragments: RegExp[]) {
  return (error: unknown) => {
    assert.ok(isEgretError(error), String(error));
    assert.equal(error.code, code, error.message);
    for (const fragment of fragments) assert.match(error.message, fragment);
    return true;
  };
}

async function deadPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the hdfs uploader against the WebHDFS test double', () => {
  let hdfs: WebHdfsServerDouble;
  let topologies = 0;
  const dir = tempDir();

  before(async () => {
    hdfs = await WebHdfsServerDouble.start({ delegationTokens: { 'token-of-carol': 'carol' } });
    // Shared by the users of these tests (tester, bob, carol), as a cluster's package root would be.
    hdfs.namespace.mkdirs('/egret/packages/test/tester', 'hdfs', 0o777);
  });
  after(() => hdfs.close());
  beforeEach(() => {
    hdfs.setFault(undefined);
    hdfs.throttleWrites(undefined);
  });

  const setUp = async (overrides: Record<string, ConfigValue> = {}) => {
    const runtime = testRuntime(`hdfs-${++topologies}`);
    const values = { 'egret.uploader.hdfs.namenode.uri': hdfs.namenodeUrl, 'egret.uploader.hdfs.timeout.ms': 2000, ...overrides };
    const directory = `/egret/packages/test/tester/${runtime.topologyName}`;
    return { runtime, values, directory, uploader: await uploaderFromPlugin(hdfsUploaderPlugin, values, runtime) };
  };
  const pkg = (bytes = 10_000) => writePackage(dir, `p-${++topologies}.tar.gz`, bytes);
  const stored = (directory: string) => hdfs.namespace.walk(directory).map((path) => path.slice(directory.length + 1));

  it('creates in two steps: an empty PUT to the namenode, then the bytes to the datanode its 307 names', async () => {
    const { uploader, directory } = await setUp();
    const from = hdfs.requests.length;
    const uri = await uploader.upload((await pkg(70_000)).path);
    assert.equal(uri, `${hdfs.namenodeUrl.replace('http', 'webhdfs')}${directory}/hdfs-${topologies - 1}.tar.gz`);
    const creates = hdfs.requests.slice(from).filter((r) => r.op === 'CREATE');
    assert.deepEqual(creates.map((r) => [r.role, r.method, r.bodyBytes]), [['namenode', 'PUT', 0], ['datanode', 'PUT', 70_000]]);
    assert.equal(creates[0]?.query['overwrite'], 'false');
    assert.deepEqual(hdfs.requests.slice(from).map((r) => r.op), ['GETFILESTATUS', 'MKDIRS', 'LISTSTATUS', 'CREATE', 'CREATE', 'GETFILESTATUS', 'RENAME', 'RENAME']);
    await uploader.close();
  });

  it('authenticates with user.name: the submitting user, or egret.uploader.hdfs.user', async () => {
    const from = hdfs.requests.length;
    await (await setUp()).uploader.upload((await pkg()).path);
    await (await setUp({ 'egret.uploader.hdfs.user': 'bob' })).uploader.upload((await pkg()).path);
    const users = new Set(hdfs.requests.slice(from).map((r) => r.query['user.name']));
    assert.deepEqual([...users], ['tester', 'bob']);
    assert.ok(hdfs.requests.slice(from).every((r) => r.query['delegation'] === undefined));
  });

  it('sends a configured delegation token instead of user.name, and fails with UPLOADER_ACCESS_DENIED for an invalid one', async () => {
    const from = hdfs.requests.length;
    const { uploader, directory } = await setUp({ 'egret.uploader.hdfs.delegation.token': 'token-of-carol' });
    await uploader.upload((await pkg()).path);
    assert.ok(hdfs.requests.slice(from).every((r) => r.query['delegation'] === 'token-of-carol' && r.query['user.name'] === undefined));
    assert.equal(hdfs.namespace.status(`${directory}`)['owner'], 'carol');
    const invalid = await setUp({ 'egret.uploader.hdfs.delegation.token': 'stolen' });
    await assert.rejects(invalid.uploader.upload((await pkg()).path), failsWith('UPLOADER_ACCESS_DENIED', /InvalidToken/, /webhdfs:\/\/127\.0\.0\.1:\d+\/egret\//));
  });

  it('fails with UPLOADER_ACCESS_DENIED naming the path when HDFS permissions forbid the write, leaving nothing', async () => {
    hdfs.namespace.mkdirs('/locked', 'hdfs', 0o755);
    const { uploader } = await setUp({ 'egret.uploader.hdfs.directory': '/locked/packages' });
    await assert.rejects(uploader.upload((await pkg()).path), failsWith('UPLOADER_ACCESS_DENIED', /AccessControlException: Permission denied: user=tester, access=WRITE, inode="\/locked:hdfs:supergroup:drwxr-xr-x"/));
    assert.deepEqual(hdfs.namespace.walk('/locked'), []);
  });

  it('fails with UPLOADER_FAILED when a space quota is exceeded mid-upload (HDFS’s disk full), keeping the previous package', async () => {
    const { uploader, directory, values } = await setUp();
    const first = await pkg(50_000);
    const uri = await uploader.upload(first.path);
    hdfs.namespace.setSpaceQuota(directory, 300_000);
    try {
      await assert.rejects(uploader.upload((await pkg(1_000_000)).path), failsWith('UPLOADER_FAILED', /DSQuotaExceededException/, /no space left/));
    } finally {
      hdfs.namespace.setSpaceQuota(directory, undefined);
    }
    assert.deepEqual(stored(directory), [`hdfs-${topologies - 2}.tar.gz`]);
    const downloads = await downloadersFor(hdfsUploaderPlugin, values, [webHdfsDownloaderModule]);
    await downloads.download(uri, join(dir, 'after-quota'));
    assert.equal(await sha256Of(join(dir, 'after-quota')), first.sha256);
    await uploader.close();
  });

  it('fails with UPLOADER_UNREACHABLE when the namenode refuses connections', async () => {
    const { uploader } = await setUp({ 'egret.uploader.hdfs.namenode.uri': `http://127.0.0.1:${await deadPort()}` });
    await assert.rejects(uploader.upload((await pkg()).path), failsWith('UPLOADER_UNREACHABLE', /ECONNREFUSED/));
  });

  it('fails with UPLOADER_UNREACHABLE when the datanode refuses connections, deleting the staging file', async () => {
    const { uploader, directory } = await setUp();
    hdfs.setFault({ kind: 'refuse-datanode' });
    await assert.rejects(uploader.upload((await pkg()).path), failsWith('UPLOADER_UNREACHABLE', /ECONNREFUSED/));
    assert.deepEqual(hdfs.namespace.walk(directory), []);
  });

  for (const role of ['namenode', 'datanode'] as const) {
    it(`fails with UPLOADER_UNREACHABLE within timeout.ms when the ${role} hangs, leaving nothing`, async () => {
      const { uploader, directory } = await setUp({ 'egret.uploader.hdfs.timeout.ms': 300 });
      hdfs.setFault({ kind: 'hang', on: role, op: 'CREATE' });
      const started = Date.now();
      await assert.rejects(uploader.upload((await pkg()).path), failsWith('UPLOADER_UNREACHABLE', /no progress for 300 ms/));
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 300 && elapsed < 1500, `failed after ${elapsed} ms`);
      hdfs.setFault(undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(stored(directory), []);
      await uploader.close();
    });
  }

  it('fails with UPLOADER_FAILED and HDFS’s message on a 500 RuntimeException', async () => {
    const { uploader } = await setUp();
    hdfs.setFault({ kind: 'error', on: 'namenode', op: 'MKDIRS', status: 500, message: 'the namenode is having a bad day' });
    await assert.rejects(uploader.upload((await pkg()).path), failsWith('UPLOADER_FAILED', /HTTP 500 RuntimeException: the namenode is having a bad day/));
  });

  it('fails with UPLOADER_ACCESS_DENIED on a plain-text 401 from an authentication filter', async () => {
    const { uploader } = await setUp();
    hdfs.setFault({ kind: 'plain-error', on: 'namenode', status: 401, body: 'Authentication required' });
    await assert.rejects(uploader.upload((await pkg()).path), failsWith('UPLOADER_ACCESS_DENIED', /HTTP 401: Authentication required/));
  });

  it('fails when the datanode drops the connection mid-upload, deleting the partial staging file', async () => {
    const { uploader, directory } = await setUp();
    hdfs.setFault({ kind: 'disconnect', afterBytes: 100_000 });
    await assert.rejects(uploader.upload((await pkg(1_000_000)).path), (error: unknown) => isEgretError(error) && error.name === 'UploaderError');
    assert.deepEqual(hdfs.namespace.walk(directory), []);
  });

  describe('the webhdfs downloader', () => {
    it('fetches webhdfs:// URIs with OPEN, following the namenode’s 307 to a datanode', async () => {
      const { uploader, values } = await setUp();
      const first = await pkg(200_000);
      const uri = await uploader.upload(first.path);
      const from = hdfs.requests.length;
      const downloads = await downloadersFor(hdfsUploaderPlugin, values, [webHdfsDownloaderModule]);
      await downloads.download(uri, join(dir, 'opened'));
      assert.equal(await sha256Of(join(dir, 'opened')), first.sha256);
      assert.deepEqual(hdfs.requests.slice(from).map((r) => `${r.role} ${r.op}`), ['namenode OPEN', 'datanode OPEN']);
    });

    it('fetches hdfs:// URIs through the configured namenode, and refuses them without one', async () => {
      const { uploader, values } = await setUp();
      const first = await pkg();
      const path = new URL(await uploader.upload(first.path)).pathname;
      const hdfsUri = `hdfs://namenode.example:8020${path}`;
      await (await downloadersFor(hdfsUploaderPlugin, values, [webHdfsDownloaderModule])).download(hdfsUri, join(dir, 'via-config'));
      assert.equal(await sha256Of(join(dir, 'via-config')), first.sha256);
      const unconfigured = await downloadersFor(hdfsUploaderPlugin, {}, [webHdfsDownloaderModule]);
      await assert.rejects(unconfigured.download(hdfsUri, join(dir, 'nowhere')), failsWith('DOWNLOADER_FAILED', /egret\.uploader\.hdfs\.namenode\.uri/));
    });

    it('fails with DOWNLOADER_NOT_FOUND for a missing file and DOWNLOADER_UNREACHABLE for a silent datanode, writing nothing', async () => {
      const { uploader, values } = await setUp({ 'egret.uploader.hdfs.timeout.ms': 300 });
      const uri = await uploader.upload((await pkg()).path);
      const target = tempDir();
      const downloads = await downloadersFor(hdfsUploaderPlugin, values, [webHdfsDownloaderModule]);
      await assert.rejects(downloads.download(`${uri}.missing`, join(target, 'missing')), failsWith('DOWNLOADER_NOT_FOUND', /FileNotFoundException/));
      hdfs.setFault({ kind: 'hang', on: 'datanode', op: 'OPEN' });
      await assert.rejects(downloads.download(uri, join(target, 'silent')), failsWith('DOWNLOADER_UNREACHABLE', /no progress for 300 ms/));
      assert.deepEqual(await readdir(target), []);
    });
  });
});
