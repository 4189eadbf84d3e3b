import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { HttpDownloader } from './http-downloader.js';

const BODY = Buffer.alloc(200_000, 'egret');

/** Routes of a small server: each answers one way (or does not answer). */
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (_req, res) => res.end(BODY),
  '/gzipped': (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': 4 });
    res.end(Buffer.from([0x1f, 0x8b, 8, 0]));
  },
  '/moved': (_req, res) => {
    res.writeHead(302, { Location: '/ok' });
    res.end();
  },
  '/missing': (_req, res) => void res.writeHead(404).end('no'),
  '/forbidden': (_req, res) => void res.writeHead(403).end('no'),
  '/broken': (_req, res) => void res.writeHead(500).end('no'),
  '/silent': () => undefined,
  '/stalls': (_req, res) => {
    res.writeHead(200, { 'Content-Length': BODY.length });
    res.write(BODY.subarray(0, 1000));
  },
  '/short': (_req, res) => {
    res.writeHead(200, { 'Content-Length': BODY.length });
    res.write(BODY.subarray(0, 1000));
    setTimeout(() => res.socket?.destroy(), 20);
  },
};

describe('HttpDownloader', () => {
  let server: Server;
  let base: string;
  const downloader = new HttpDownloader({ idleTimeoutMs: 300 });

  before(async () => {
    server = createServer((req, res) => routes[new URL(req.url ?? '/', 'http://x').pathname]?.(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('streams the body to the destination, following redirects', async () => {
    const dir = tempDir();
    await downloader.download(`${base}/moved`, join(dir, 'pkg.tar.gz'));
    assert.deepEqual(readFileSync(join(dir, 'pkg.tar.gz')), BODY);
    assert.deepEqual(readdirSync(dir), ['pkg.tar.gz']);
  });

  it('keeps the bytes as sent, without decoding a Content-Encoding', async () => {
    const dir = tempDir();
    await downloader.download(`${base}/gzipped`, join(dir, 'pkg.tar.gz'));
    assert.deepEqual(readFileSync(join(dir, 'pkg.tar.gz')), Buffer.from([0x1f, 0x8b, 8, 0]));
  });

  it('maps statuses: 404 DOWNLOADER_NOT_FOUND, 403 DOWNLOADER_ACCESS_DENIED, 500 DOWNLOADER_FAILED', async () => {
    const dir = tempDir();
    await assert.rejects(downloader.download(`${base}/missing`, join(dir, 'a')), { code: 'DOWNLOADER_NOT_FOUND', message: /\/missing.*HTTP 404/ });
    await assert.rejects(downloader.download(`${base}/forbidden`, join(dir, 'a')), { code: 'DOWNLOADER_ACCESS_DENIED' });
    await assert.rejects(downloader.download(`${base}/broken`, join(dir, 'a')), { code: 'DOWNLOADER_FAILED' });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('fails with DOWNLOADER_UNREACHABLE within the idle timeout when the server says nothing, or stops mid-body, writing nothing', async () => {
    const dir = tempDir();
    for (const path of ['/silent', '/stalls']) {
      const started = Date.now();
      await assert.rejects(downloader.download(`${base}${path}`, join(dir, 'a')), { code: 'DOWNLOADER_UNREACHABLE', message: /no progress for 300 ms/ });
      assert.ok(Date.now() - started < 1500, path);
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it('fails when the connection closes before Content-Length bytes, and when it is refused', async () => {
    const dir = tempDir();
    await assert.rejects(downloader.download(`${base}/short`, join(dir, 'a')), (error: Error & { code?: string }) => ['DOWNLOADER_FAILED', 'DOWNLOADER_UNREACHABLE'].includes(error.code ?? ''));
    await assert.rejects(downloader.download('http://127.0.0.1:1/x', join(dir, 'a')), { code: 'DOWNLOADER_UNREACHABLE', message: /ECONNREFUSED/ });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('keeps the query (a presigned URL’s signature) out of its messages', async () => {
    await assert.rejects(downloader.download(`${base}/forbidden?X-Amz-Signature=secret`, join(tempDir(), 'a')), (error: Error) => !error.message.includes('secret') && error.message.includes('/forbidden?…'));
  });
});
