import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import type { ProtoPhysicalPlan } from '../../core/proto/index.js';
import { stateNodeToJson } from '../../core/state/state-node-codec.js';
import type { CachedException } from './exception-log.js';
import type { TopologyMetricsView } from './metrics-view.js';
import type { LiveTopologyState } from './physical-plan-builder.js';
import type { AbsentStMgr } from './stmgr-registry.js';

/** What the controller asks of the topology manager. */
export interface ControllerActions {
  readonly topologyName: string;
  readonly topologyId: string;
  /** Sets the live state, republishing the plan and updating the topology node; `changed` is false when it already was. */
  setState(state: LiveTopologyState): Promise<{ readonly changed: boolean }>;
  /** The plan last published, if any. */
  physicalPlan(): ProtoPhysicalPlan | undefined;
  /** The stream managers the next plan waits for. */
  absent(): readonly AbsentStMgr[];
  /** The metrics cache, all time or over the last `intervalMs`. */
  metrics(intervalMs?: number): TopologyMetricsView;
  /** The user errors kept, only `component`'s when given. */
  exceptions(component?: string): readonly CachedException[];
}

/** A listening controller. */
export interface TManagerController {
  readonly port: number;
  close(): Promise<void>;
}

const STATE_OF_PATH: Readonly<Record<string, LiveTopologyState>> = { '/activate': 'RUNNING', '/deactivate': 'PAUSED' };

/**
 * The topology manager's HTTP controller (OS-chosen port, published in its location): `/activate` and
 * `/deactivate?topologyid=<id>` (GET or POST) change the live state; `GET /physicalplan` returns the current plan
 * as JSON (enums by name, 64-bit integers as strings); `GET /metrics[?interval=<seconds>]` the metrics cache
 * (runtime/tmanager/README.md has its shape) and `GET /exceptions[?component=<name>]` the user errors kept, a list.
 * Errors are JSON objects carrying `error`.
 */
export async function startController(host: string, actions: ControllerActions, logger: Logger): Promise<TManagerController> {
  const server = createServer((request, response) => {
    handle(request, response, actions).catch((error: unknown) => {
      logger.error('controller request failed', { url: request.url, error: messageOf(error) });
      reply(response, 500, { error: messageOf(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, actions: ControllerActions): Promise<void> {
  // Bodies are not read; drain them so keep-alive connections stay usable.
  request.resume();
  const url = new URL(request.url ?? '/', 'http://controller');
  const method = request.method ?? 'GET';
  const target = STATE_OF_PATH[url.pathname];
  if (target !== undefined) {
    if (method !== 'GET' && method !== 'POST') return reply(response, 405, { error: `${url.pathname} takes GET or POST, not ${method}` }, { allow: 'GET, POST' });
    const id = url.searchParams.get('topologyid');
    if (id === null || id === '') return reply(response, 400, { error: `${url.pathname} needs ?topologyid=<id> (this is topology '${actions.topologyName}', id ${actions.topologyId})` });
    if (id !== actions.topologyId) return reply(response, 400, { error: `topology id '${id}' is not this topology's: '${actions.topologyName}' has id '${actions.topologyId}'` });
    const { changed } = await actions.setState(target);
    const verb = target === 'RUNNING' ? 'activated' : 'deactivated';
    const message = changed ? `topology '${actions.topologyName}' ${verb}` : `topology '${actions.topologyName}' is already ${verb}`;
    return reply(response, 200, { topology: actions.topologyName, state: target, changed, message });
  }
  if (url.pathname === '/physicalplan') {
    if (method !== 'GET') return reply(response, 405, { error: `/physicalplan takes GET, not ${method}` }, { allow: 'GET' });
    const plan = actions.physicalPlan();
    if (!plan) return reply(response, 404, { error: `topology '${actions.topologyName}' has no physical plan yet`, waitingFor: actions.absent() });
    return reply(response, 200, stateNodeToJson('pplans', plan));
  }
  if (url.pathname === '/metrics' || url.pathname === '/exceptions') {
    if (method !== 'GET') return reply(response, 405, { error: `${url.pathname} takes GET, not ${method}` }, { allow: 'GET' });
    if (url.pathname === '/exceptions') return reply(response, 200, actions.exceptions(url.searchParams.get('component') ?? undefined));
    const interval = url.searchParams.get('interval');
    if (interval === null || interval === '') return reply(response, 200, actions.metrics());
    const seconds = Number(interval);
    if (!Number.isFinite(seconds)) return reply(response, 400, { error: `interval: expected a number of seconds, got '${interval}'` });
    // Heron's convention: an interval of 0 or less asks for everything.
    return reply(response, 200, seconds > 0 ? actions.metrics(seconds * 1000) : actions.metrics());
  }
  return reply(response, 404, { error: `no such endpoint: ${url.pathname} (try /activate, /deactivate, /physicalplan, /metrics, /exceptions)` });
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(`${JSON.stringify(body)}\n`);
}
