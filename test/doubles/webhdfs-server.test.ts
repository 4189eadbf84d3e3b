import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebHdfsServerDouble } from './webhdfs-server.js';

/** Checks the double against the behaviour the Hadoop WebHDFS REST API documentation describes. */
describe('the WebHDFS test double', () => {
  let hdfs: WebHdfsServerDouble;
  const url = (path: string, query: string) => `${hdfs.namenodeUrl}/webhdfs/v1${path}?${query}`;
  const call = async (method: string, path: string, query: string, body?: string) => {
    const response = await fetch(url(path, query), { method, redirect: 'manual', ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, location: response.headers.get('location'), text, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };

  before(async () => {
    hdfs = await WebHdfsServerDouble.start({ delegationTokens: { t0k3n: 'dora' } });
  });
  after(() => hdfs.close());

  it('creates a file in two steps: a 307 from the namenode to a datanode on another port, then 201 with a webhdfs Location', async () => {
    const step1 = await call('PUT', '/user/alice/a.txt', 'op=CREATE&user.name=alice');
    assert.equal(step1.status, 307);
    const datanode = new URL(step1.location ?? '');
    assert.notEqual(datanode.port, new URL(hdfs.namenodeUrl).port);
    assert.equal(datanode.searchParams.get('op'), 'CREATE');
    assert.equal(datanode.searchParams.get('user.name'), 'alice');
    const step2 = await fetch(datanode, { method: 'PUT', body: 'hello' });
    assert.equal(step2.status, 201);
    assert.equal(step2.headers.get('location'), `webhdfs://127.0.0.1:${new URL(hdfs.namenodeUrl).port}/user/alice/a.txt`);
    const status = await call('GET', '/user/alice/a.txt', 'op=GETFILESTATUS&user.name=alice');
    assert.equal(status.status, 200);
    assert.deepEqual({ ...(status.json?.['FileStatus'] as object), accessTime: 0, modificationTime: 0, fileId: 0 }, {
      accessTime: 0, blockSize: 134217728, childrenNum: 0, fileId: 0, group: 'supergroup', length: 5, modificationTime: 0, owner: 'alice', pathSuffix: '', permission: '644', replication: 1, storagePolicy: 0, type: 'FILE',
    });
  });

  it('refuses CREATE bytes sent to the namenode, and an existing file without overwrite (403 FileAlreadyExistsException)', async () => {
    const withBody = await call('PUT', '/user/alice/b.txt', 'op=CREATE&user.name=alice', 'data');
    assert.equal(withBody.status, 400);
    assert.equal((withBody.json?.['RemoteException'] as { exception: string }).exception, 'IllegalArgumentException');
    const again = await call('PUT', '/user/alice/a.txt', 'op=CREATE&user.name=alice');
    const step2 = await fetch(again.location ?? '', { method: 'PUT', body: 'x' });
    assert.equal(step2.status, 403);
    assert.deepEqual(await step2.json(), {
      RemoteException: { exception: 'FileAlreadyExistsException', javaClassName: 'org.apache.hadoop.fs.FileAlreadyExistsException', message: '/user/alice/a.txt for client 127.0.0.1 already exists' },
    });
  });

  it('answers OPEN with a 307 to a datanode that serves the bytes, and 404 FileNotFoundException for a missing file', async () => {
    const open = await call('GET', '/user/alice/a.txt', 'op=OPEN&user.name=alice');
    assert.equal(open.status, 307);
    assert.equal(await (await fetch(open.location ?? '')).text(), 'hello');
    const missing = await call('GET', '/user/alice/none', 'op=OPEN&user.name=alice');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { RemoteException: { exception: 'FileNotFoundException', javaClassName: 'java.io.FileNotFoundException', message: 'File does not exist: /user/alice/none' } });
  });

  it('keeps MKDIRS, RENAME and DELETE semantics: booleans, no overwrite on rename, no non-recursive delete of a full directory', async () => {
    assert.deepEqual((await call('PUT', '/user/alice/d/e', 'op=MKDIRS&user.name=alice')).json, { boolean: true });
    assert.deepEqual((await call('PUT', '/user/alice/a.txt', 'op=RENAME&destination=/user/alice/d/e/a.txt&user.name=alice')).json, { boolean: true });
    const blocker = await call('PUT', '/user/alice/c.txt', 'op=CREATE&user.name=alice');
    await fetch(blocker.location ?? '', { method: 'PUT', body: 'c' });
    assert.deepEqual((await call('PUT', '/user/alice/c.txt', 'op=RENAME&destination=/user/alice/d/e/a.txt&user.name=alice')).json, { boolean: false });
    assert.deepEqual((await call('PUT', '/user/alice/c.txt', 'op=RENAME&destination=/user/alice/d/e&user.name=alice')).json, { boolean: true }, 'moves into a directory');
    assert.deepEqual((await call('PUT', '/user/alice/none', 'op=RENAME&destination=/user/alice/x&user.name=alice')).json, { boolean: false });
    const full = await call('DELETE', '/user/alice/d', 'op=DELETE&user.name=alice');
    assert.equal(full.status, 403);
    assert.equal((full.json?.['RemoteException'] as { exception: string }).exception, 'PathIsNotEmptyDirectoryException');
    assert.deepEqual((await call('DELETE', '/user/alice/d', 'op=DELETE&recursive=true&user.name=alice')).json, { boolean: true });
    assert.deepEqual((await call('DELETE', '/user/alice/d', 'op=DELETE&user.name=alice')).json, { boolean: false });
    const listing = await call('GET', '/user/alice', 'op=LISTSTATUS&user.name=alice');
    assert.deepEqual((listing.json?.['FileStatuses'] as { FileStatus: Array<{ pathSuffix: string }> }).FileStatus.map((s) => s.pathSuffix), []);
  });

  it('checks users: 401 without user.name, AccessControlException in HDFS’s words, delegation tokens standing for their user', async () => {
    const anonymous = await call('GET', '/', 'op=GETFILESTATUS');
    assert.equal(anonymous.status, 401);
    hdfs.namespace.mkdirs('/system', 'hdfs', 0o755);
    const denied = await call('PUT', '/system/x', 'op=MKDIRS&user.name=mallory');
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json, {
      RemoteException: { exception: 'AccessControlException', javaClassName: 'org.apache.hadoop.security.AccessControlException', message: 'Permission denied: user=mallory, access=WRITE, inode="/system:hdfs:supergroup:drwxr-xr-x"' },
    });
    assert.deepEqual((await call('PUT', '/dora', 'op=MKDIRS&delegation=t0k3n')).json, { boolean: true });
    assert.equal(hdfs.namespace.status('/dora')['owner'], 'dora');
    const forged = await call('PUT', '/eve', 'op=MKDIRS&delegation=forged');
    assert.equal(forged.status, 403);
    assert.equal((forged.json?.['RemoteException'] as { javaClassName: string }).javaClassName, 'org.apache.hadoop.security.token.SecretManager$InvalidToken');
  });

  it('rejects unknown operations with 400 IllegalArgumentException, and injects faults on request', async () => {
    const unknown = await call('GET', '/', 'op=FROBNICATE&user.name=alice');
    assert.equal(unknown.status, 400);
    assert.equal((unknown.json?.['RemoteException'] as { exception: string }).exception, 'IllegalArgumentException');
    hdfs.setFault({ kind: 'error', on: 'namenode', status: 500 });
    assert.equal((await call('GET', '/', 'op=GETFILESTATUS&user.name=alice')).status, 500);
    hdfs.setFault({ kind: 'hang', on: 'namenode' });
    await assert.rejects(fetch(url('/', 'op=GETFILESTATUS&user.name=alice'), { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
    hdfs.setFault(undefined);
    assert.equal((await call('GET', '/', 'op=GETFILESTATUS&user.name=alice')).status, 200);
  });
});
