import { messageOf } from '../errors.js';
import { packingPlanToProto, ProtoKillTopologyRequest, ProtoRestartTopologyRequest, ProtoUpdateTopologyRequest } from '../proto/index.js';
import { type KillRequest, type RestartRequest, SchedulerError, type UpdateRequest } from '../spi/scheduler.js';
import { LoopbackHttpError, loopbackHttp } from './loopback-http.js';
import type { SchedulerClient } from './scheduler-client.js';
import { ALL_CONTAINERS, decodeSchedulerResponse, SCHEDULER_CONTENT_TYPE, type SchedulerCommand, verdictError } from './scheduler-protocol.js';

/** How long a request may take by default: a kill waits for every process to stop, grace periods included. */
export const DEFAULT_SCHEDULER_TIMEOUT_MS = 60_000;

/**
 * Reaches a service-mode scheduler process over HTTP at its location's `http_endpoint` (scheduler-protocol.ts).
 * Throws SchedulerError: SCHEDULER_UNREACHABLE, naming the endpoint and the reason, when no answer comes (refused,
 * reset, timed out) or the answer is not a SchedulerResponse; when the scheduler answers NOTOK, the code its error
 * had (SCHEDULER_UNKNOWN_CONTAINER, ...) or else the command's failure code (SCHEDULER_KILL_FAILED, ...).
 */
export class HttpSchedulerClient implements SchedulerClient {
  readonly mode = 'service' as const;
  private readonly timeoutMs: number;

  constructor(
    /** `host:port`. */
    readonly endpoint: string,
    private readonly topologyName: string,
    options: { readonly timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SCHEDULER_TIMEOUT_MS;
  }

  kill(request: KillRequest): Promise<void> {
    return this.post('kill', ProtoKillTopologyRequest.encode({ topologyName: request.topologyName }).finish());
  }

  restart(request: RestartRequest): Promise<void> {
    return this.post('restart', ProtoRestartTopologyRequest.encode({ topologyName: request.topologyName, containerIndex: request.containerId ?? ALL_CONTAINERS }).finish());
  }

  update(request: UpdateRequest): Promise<void> {
    const body = ProtoUpdateTopologyRequest.encode({ currentPackingPlan: packingPlanToProto(request.current), proposedPackingPlan: packingPlanToProto(request.proposed) }).finish();
    return this.post('update', body);
  }

  async close(): Promise<void> {
    // Nothing held between requests.
  }

  private async post(command: SchedulerCommand, body: Uint8Array): Promise<void> {
    const where = `the scheduler of '${this.topologyName}' at ${this.endpoint}`;
    let response;
    try {
      // A NOTOK comes with HTTP 500 and still carries the scheduler's reason: every status is read.
      response = await loopbackHttp({ method: 'POST', endpoint: this.endpoint, path: `/${command}`, body, contentType: SCHEDULER_CONTENT_TYPE, timeoutMs: this.timeoutMs });
    } catch (error) {
      throw new SchedulerError(`${where} could not be reached for ${command}: ${transportReason(error)}`, { code: 'SCHEDULER_UNREACHABLE', cause: error });
    }
    let verdict;
    try {
      verdict = decodeSchedulerResponse(new Uint8Array(response.body));
    } catch (error) {
      throw new SchedulerError(`${where} answered ${command} with HTTP ${response.status} and no scheduler response (${messageOf(error)}); is something else listening there?`, {
        code: 'SCHEDULER_UNREACHABLE',
        cause: error,
      });
    }
    if (!verdict.ok) throw verdictError(verdict, command, where);
    if (response.status !== 200) throw new SchedulerError(`${where} answered ${command} OK with HTTP ${response.status}`, { code: 'SCHEDULER_UNREACHABLE' });
  }
}

/** Why a request got no answer, in words: refused, timed out, reset. */
function transportReason(error: unknown): string {
  if (!(error instanceof LoopbackHttpError)) return messageOf(error);
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the scheduler process running?)';
    case 'ETIMEDOUT':
      return `no answer within ${error.timeoutMs ?? '?'} ms`;
    case 'ECONNRESET':
      return 'the connection was reset (the scheduler process may have died)';
    default:
      return `${error.code}: ${error.message}`;
  }
}
