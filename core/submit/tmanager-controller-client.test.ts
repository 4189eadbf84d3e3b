import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MemoryStateManager } from '../../test/helpers/memory-state-manager.js';
import { ProtoTManagerLocation } from '../proto/index.js';
import { RuntimeError } from './runtime-error.js';
import { TManagerControllerClient } from './tmanager-controller-client.js';

const ID = 'wc-1';
const METRICS = { topology: 'wc', topologyId: ID, intervalSeconds: null, components: {}, stmgrs: {} };

/** A stand-in controller: answers from `routes` by path, recording every request URL. */
function controller(routes: Record<string, (url: URL) => { status: number; body: unknown }>): { server: Server; urls: string[] } {
  const urls: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    urls.push(url.pathname + url.search);
    const route = routes[url.pathname];
    const { status, body } = route ? route(url) : { status: 404, body: { error: 'no such endpoint' } };
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  return { server, urls };
}

async function stateWith(port: number, topologyId = ID): Promise<MemoryStateManager> {
  const state = new MemoryStateManager();
  await state.set('tmanagers', 'wc', ProtoTManagerLocation.create({ topologyName: 'wc', topologyId, host: '127.0.0.1', controllerPort: port, serverPort: 1 }));
  return state;
}

async function rejectsUnreachable(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof RuntimeError && error.code === 'RUNTIME_TMANAGER_UNREACHABLE' && pattern.test(error.message));
}

describe('TManagerControllerClient: metrics and user errors', () => {
  const { server, urls } = controller({
    '/metrics': (url) => ({ status: 200, body: { ...METRICS, intervalSeconds: url.searchParams.has('interval') ? Number(url.searchParams.get('interval')) : null } }),
    '/exceptions': (url) => ({ status: 200, body: [{ component: url.searchParams.get('component') ?? 'all', instance: 'i', hostname: 'h', message: 'm', stacktrace: 's', count: 1, firstTime: 'a', lastTime: 'b' }] }),
  });
  let port = 0;
  before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve())));
  before(() => void (port = (server.address() as AddressInfo).port));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks for all time, or the last seconds, and for the user errors of all components or one', async () => {
    const client = await TManagerControllerClient.connect(await stateWith(port), 'wc', ID);
    assert.equal(client.address, `127.0.0.1:${port}`);
    assert.equal((await client.metrics()).intervalSeconds, null);
    assert.equal((await client.metrics(300)).intervalSeconds, 300);
    assert.equal((await client.exceptions())[0]?.component, 'all');
    assert.equal((await client.exceptions('count'))[0]?.component, 'count');
    assert.deepEqual(urls, ['/metrics', '/metrics?interval=300', '/exceptions', '/exceptions?component=count']);
  });

  it('refuses a missing location, and one of an earlier submission', async () => {
    await rejectsUnreachable(TManagerControllerClient.connect(new MemoryStateManager(), 'wc', ID), /is not running \(no location in state\)/);
    await rejectsUnreachable(TManagerControllerClient.connect(await stateWith(port, 'wc-0'), 'wc', ID), /belongs to an earlier submission \(wc-0, not wc-1\)/);
  });
});

describe('TManagerControllerClient: failures', () => {
  it('says what the controller refused, or that it did not answer', async () => {
    const { server } = controller({
      '/metrics': () => ({ status: 200, body: { ...METRICS, topologyId: 'other' } }),
      '/exceptions': () => ({ status: 500, body: { error: 'the cache is closed' } }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    try {
      const client = await TManagerControllerClient.connect(await stateWith(port), 'wc', ID);
      await rejectsUnreachable(client.metrics(), /serves topology id other, not wc-1/);
      await rejectsUnreachable(client.exceptions(), /refused \/exceptions: the cache is closed/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const gone = await TManagerControllerClient.connect(await stateWith(port), 'wc', ID);
    await rejectsUnreachable(gone.metrics(), new RegExp(`at 127\\.0\\.0\\.1:${port} did not answer /metrics: `));
  });

  it('refuses an answer that is not a metrics view', async () => {
    const { server } = controller({ '/metrics': () => ({ status: 200, body: ['not', 'a', 'view'] }), '/exceptions': () => ({ status: 200, body: {} }) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const client = await TManagerControllerClient.connect(await stateWith((server.address() as AddressInfo).port), 'wc', ID);
      await rejectsUnreachable(client.metrics(), /answered \/metrics with something other than a metrics view/);
      await rejectsUnreachable(client.exceptions(), /answered \/exceptions with something other than a list/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
