import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'winston';
import { messageOf } from '../errors.js';
import { packingPlanFromProto, ProtoKillTopologyRequest, ProtoRestartTopologyRequest, ProtoUpdateTopologyRequest } from '../proto/index.js';
import { type Scheduler, SchedulerError } from '../spi/scheduler.js';
import { ALL_CONTAINERS, COMMAND_FAILURE, encodeSchedulerResponse, SCHEDULER_COMMANDS, SCHEDULER_CONTENT_TYPE, type SchedulerCommand } from './scheduler-protocol.js';

/** A request body larger than this is refused: the largest, an update, holds two packing plans. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** What the scheduler process serves. */
export interface SchedulerServerOptions {
  readonly scheduler: Scheduler;
  /** The topology the scheduler runs; requests naming another are refused. */
  readonly topologyName: string;
  readonly logger: Logger;
  /** Called once a kill has succeeded and its answer has gone out: the host then shuts down. */
  readonly onKilled: () => void;
  /**
   * Called once a kill has succeeded, before its answer goes out: the host releases what it holds (its scheduler,
   * its state manager) so that it can exit the moment the answer is written. `egret kill` returns on the answer,
   * and must find no process of the topology left, this one included. Its failure is logged, not answered.
   */
  readonly releaseBeforeKillAnswer?: () => Promise<void>;
  /** Default 127.0.0.1: runtime commands run on this machine. */
  readonly host?: string;
  /** Default 0: the OS chooses. */
  readonly port?: number;
}

/** A request that cannot be carried out as sent (HTTP 400). */
class BadSchedulerRequest extends Error {}

/**
 * The scheduler process's HTTP server (scheduler-protocol.ts): decodes each request, calls the scheduler, and
 * answers OK or NOTOK with the error. Requests are carried out one at a time, in arrival order, so that a kill
 * never overlaps a restart or an update. Once a kill has succeeded, another kill is answered OK and anything else
 * NOTOK.
 */
export class SchedulerServer {
  private queue: Promise<unknown> = Promise.resolve();
  private killed = false;

  private constructor(
    private readonly server: Server,
    private readonly options: SchedulerServerOptions,
  ) {}

  /** Starts listening; resolves once the port is bound. */
  static async start(options: SchedulerServerOptions): Promise<SchedulerServer> {
    const server = createServer();
    const instance = new SchedulerServer(server, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void instance.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return instance;
  }

  /** `host:port`, as the scheduler location's `http_endpoint` holds it. */
  get endpoint(): string {
    const address = this.server.address() as AddressInfo;
    return `${address.address}:${address.port}`;
  }

  /** Stops listening and drops open connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const command = SCHEDULER_COMMANDS.find((c) => (request.url ?? '').split('?')[0] === `/${c}`);
    if (!command) return reply(response, 404, new Error(`no such scheduler command: ${request.method} ${request.url}; POST /kill, /restart or /update`));
    if (request.method !== 'POST') return reply(response, 405, new Error(`${command} takes POST, not ${request.method}`), { allow: 'POST' });
    let action: () => Promise<void>;
    try {
      action = this.decode(command, await readBody(request));
    } catch (error) {
      this.options.logger.warn('refused a malformed scheduler request', { command, error: messageOf(error) });
      return reply(response, 400, new BadSchedulerRequest(`a malformed ${command} request: ${messageOf(error)}`));
    }
    const outcome = await this.serialize(command, action);
    if (outcome !== undefined) return reply(response, 500, outcome);
    reply(response, 200);
    if (command === 'kill') response.once('finish', () => this.options.onKilled());
  }

  /** Runs `action` after every earlier request; resolves with its error, or undefined on success. */
  private serialize(command: SchedulerCommand, action: () => Promise<void>): Promise<unknown> {
    const run = async (): Promise<unknown> => {
      if (this.killed) {
        return command === 'kill' ? undefined : new SchedulerError(`the topology '${this.options.topologyName}' is killed; the scheduler is exiting`, { code: COMMAND_FAILURE[command] });
      }
      const started = Date.now();
      try {
        await action();
      } catch (error) {
        this.options.logger.error('a scheduler request failed', { command, error: messageOf(error), code: (error as { code?: unknown }).code });
        return error ?? new Error('failed');
      }
      if (command === 'kill') {
        this.killed = true;
        await this.options.releaseBeforeKillAnswer?.().catch((error: unknown) => this.options.logger.error('releasing before answering the kill failed', { error: messageOf(error) }));
      }
      this.options.logger.info('carried out a scheduler request', { command, ms: Date.now() - started });
      return undefined;
    };
    const outcome = this.queue.then(run, run);
    this.queue = outcome;
    return outcome;
  }

  /** The scheduler call a request asks for; throws for a body that is not the command's message or names another topology. */
  private decode(command: SchedulerCommand, body: Buffer): () => Promise<void> {
    const { scheduler } = this.options;
    const topologyName = this.options.topologyName;
    const checkName = (name: string) => {
      if (name !== topologyName) throw new BadSchedulerRequest(`this scheduler runs topology '${topologyName}', not '${name}'`);
    };
    switch (command) {
      case 'kill': {
        checkName(ProtoKillTopologyRequest.decode(body).topologyName);
        return () => scheduler.onKill({ topologyName });
      }
      case 'restart': {
        const request = ProtoRestartTopologyRequest.decode(body);
        checkName(request.topologyName);
        const index = request.containerIndex;
        if (index !== ALL_CONTAINERS && index < 0) throw new BadSchedulerRequest(`container_index ${index} is neither a container id nor ${ALL_CONTAINERS} (every container)`);
        return () => scheduler.onRestart(index === ALL_CONTAINERS ? { topologyName } : { topologyName, containerId: index });
      }
      case 'update': {
        const request = ProtoUpdateTopologyRequest.decode(body);
        const current = packingPlanFromProto(request.currentPackingPlan);
        const proposed = packingPlanFromProto(request.proposedPackingPlan);
        return () => scheduler.onUpdate({ topologyName, current, proposed });
      }
    }
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadSchedulerRequest(`the body exceeds ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, error?: unknown, headers: Record<string, string> = {}): void {
  const body = encodeSchedulerResponse(error);
  response.writeHead(status, { 'content-type': SCHEDULER_CONTENT_TYPE, 'content-length': body.length, ...headers });
  response.end(body);
}
