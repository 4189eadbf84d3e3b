import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { ProtoKillTopologyRequest, ProtoSchedulerResponse } from '../proto/index.js';
import { SchedulerError } from '../spi/scheduler.js';
import { HttpSchedulerClient } from './scheduler-client-http.js';
import { encodeSchedulerResponse } from './scheduler-protocol.js';

/** A loopback server answering every request with `answer`; returns its endpoint. */
async function serve(answer: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void): Promise<string> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

const unreachable = (pattern: RegExp) => (error: unknown) => error instanceof SchedulerError && error.code === 'SCHEDULER_UNREACHABLE' && pattern.test(error.message);

describe('HttpSchedulerClient', () => {
  it('POSTs the protobuf request to /<command> and resolves on OK', async () => {
    const seen: string[] = [];
    const endpoint = await serve((request, body, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers['content-type']} ${ProtoKillTopologyRequest.decode(body).topologyName}`);
      response.end(encodeSchedulerResponse());
    });
    await new HttpSchedulerClient(endpoint, 't').kill({ topologyName: 't' });
    assert.deepEqual(seen, ['POST /kill application/x-protobuf t']);
  });

  it('says the connection was refused, naming the endpoint', async () => {
    const endpoint = await closedPort();
    await assert.rejects(new HttpSchedulerClient(endpoint, 't').kill({ topologyName: 't' }), unreachable(new RegExp(`'t' at ${endpoint} could not be reached for kill: connection refused`)));
  });

  it('gives up after the timeout', async () => {
    const endpoint = await serve(() => undefined);
    await assert.rejects(new HttpSchedulerClient(endpoint, 't', { timeoutMs: 200 }).restart({ topologyName: 't' }), unreachable(/could not be reached for restart: no answer within 200 ms/));
  });

  it('keeps the code of an error the scheduler answered NOTOK with', async () => {
    const endpoint = await serve((_request, _body, response) => {
      response.statusCode = 500;
      response.end(encodeSchedulerResponse(new SchedulerError('there is no container 7', { code: 'SCHEDULER_UNKNOWN_CONTAINER' })));
    });
    await assert.rejects(new HttpSchedulerClient(endpoint, 't').restart({ topologyName: 't', containerId: 7 }), {
      code: 'SCHEDULER_UNKNOWN_CONTAINER',
      message: `the scheduler of 't' at ${endpoint} refused restart: there is no container 7`,
    });
  });

  it('fails a NOTOK without a code with the command\'s failure code', async () => {
    const endpoint = await serve((_request, _body, response) => {
      response.statusCode = 500;
      response.end(ProtoSchedulerResponse.encode({ status: { status: 2, message: 'the disk is full' } }).finish());
    });
    await assert.rejects(new HttpSchedulerClient(endpoint, 't').kill({ topologyName: 't' }), { code: 'SCHEDULER_KILL_FAILED', message: /refused kill: the disk is full/ });
  });

  it('takes an HTTP 500 without a scheduler response for an unreachable scheduler', async () => {
    const endpoint = await serve((_request, _body, response) => {
      response.statusCode = 500;
      response.end('<html>Internal Server Error</html>');
    });
    await assert.rejects(new HttpSchedulerClient(endpoint, 't').kill({ topologyName: 't' }), unreachable(/answered kill with HTTP 500 and no scheduler response/));
  });
});
