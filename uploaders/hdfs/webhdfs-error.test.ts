import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webHdfsErrorOf } from './webhdfs-error.js';

const remote = (exception: string, javaClassName: string, message: string) => JSON.stringify({ RemoteException: { exception, javaClassName, message } });

describe('WebHDFS errors', () => {
  it('maps HDFS exceptions from RemoteException bodies to failures, keeping HDFS’s words', () => {
    const notFound = webHdfsErrorOf(404, remote('FileNotFoundException', 'java.io.FileNotFoundException', 'File does not exist: /a'), 'GETFILESTATUS /a');
    assert.deepEqual([notFound.failure, notFound.exception, notFound.message], ['not-found', 'FileNotFoundException', 'GETFILESTATUS /a: HTTP 404 FileNotFoundException: File does not exist: /a']);
    assert.equal(webHdfsErrorOf(403, remote('AccessControlException', 'org.apache.hadoop.security.AccessControlException', 'Permission denied'), 'x').failure, 'access-denied');
    assert.equal(webHdfsErrorOf(401, remote('SecurityException', 'java.lang.SecurityException', 'no'), 'x').failure, 'access-denied');
    assert.equal(webHdfsErrorOf(403, remote('DSQuotaExceededException', 'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException', 'quota'), 'x').failure, 'no-space');
    assert.equal(webHdfsErrorOf(403, remote('StandbyException', 'org.apache.hadoop.ipc.StandbyException', 'standby'), 'x').failure, 'unreachable');
    // Any other IOException is a 403 too, and means a failure, not a refusal.
    assert.equal(webHdfsErrorOf(403, remote('FileAlreadyExistsException', 'org.apache.hadoop.fs.FileAlreadyExistsException', 'exists'), 'x').failure, 'failed');
    assert.equal(webHdfsErrorOf(500, remote('RuntimeException', 'java.lang.RuntimeException', 'oops'), 'x').failure, 'failed');
  });

  it('takes the exception name from javaClassName when `exception` is missing (SecretManager$InvalidToken)', () => {
    const error = webHdfsErrorOf(403, JSON.stringify({ RemoteException: { javaClassName: 'org.apache.hadoop.security.token.SecretManager$InvalidToken', message: 'bad token' } }), 'x');
    assert.deepEqual([error.exception, error.failure], ['InvalidToken', 'access-denied']);
  });

  it('falls back on the status for bodies that are not RemoteExceptions', () => {
    const error = webHdfsErrorOf(401, '<html>Authentication required</html>', 'MKDIRS /a');
    assert.deepEqual([error.failure, error.exception, error.message], ['access-denied', undefined, 'MKDIRS /a: HTTP 401: <html>Authentication required</html>']);
    assert.equal(webHdfsErrorOf(404, '', 'x').failure, 'not-found');
    assert.equal(webHdfsErrorOf(503, 'busy', 'x').failure, 'unreachable');
  });
});
