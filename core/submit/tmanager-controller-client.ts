import axios, { type AxiosInstance } from 'axios';
import { messageOf } from '../errors.js';
import type { StateManager } from '../spi/state-manager.js';
import { RuntimeError } from './runtime-error.js';
import type { TManagerException, TManagerMetrics } from './tmanager-metrics.js';

export type {
  TManagerComponentMetrics,
  TManagerException,
  TManagerInstanceMetrics,
  TManagerMetrics,
  TManagerStMgrMetrics,
  TManagerTupleMetrics,
} from './tmanager-metrics.js';

/**
 * The topology manager's HTTP controller, as runtime commands use it: activate, deactivate, the metrics cache and
 * the user errors. The address comes from the topology manager's location in state. Every method throws
 * RUNTIME_TMANAGER_UNREACHABLE with the address and the reason.
 */
export class TManagerControllerClient {
  private constructor(
    private readonly http: AxiosInstance,
    private readonly topologyId: string,
    readonly address: string,
  ) {}

  /**
   * A client for the topology manager of `topology`; RUNTIME_TMANAGER_UNREACHABLE when it has no location, or
   * only the location of an earlier submission's topology manager (a ZooKeeper session outliving its process).
   */
  static async connect(state: StateManager, topology: string, topologyId: string, timeoutMs = 10_000): Promise<TManagerControllerClient> {
    const location = await state.find('tmanagers', topology);
    if (!location) {
      throw new RuntimeError(`the topology manager of '${topology}' is not running (no location in state); it may be starting: try again in a moment`, { code: 'RUNTIME_TMANAGER_UNREACHABLE' });
    }
    if (location.topologyId && location.topologyId !== topologyId) {
      throw new RuntimeError(`the topology manager location of '${topology}' belongs to an earlier submission (${location.topologyId}, not ${topologyId}); the new one may be starting: try again in a moment`, {
        code: 'RUNTIME_TMANAGER_UNREACHABLE',
      });
    }
    const address = `${location.host}:${location.controllerPort}`;
    return new TManagerControllerClient(axios.create({ baseURL: `http://${address}`, timeout: timeoutMs, validateStatus: () => true }), topologyId, address);
  }

  /** Sets the live state; resolves with the controller's message (which says when nothing changed). */
  async setState(action: 'activate' | 'deactivate'): Promise<string> {
    const body = await this.call<{ message?: string }>('POST', `/${action}`, { topologyid: this.topologyId });
    return body.message ?? `${action}d`;
  }

  /** The metrics cache: all time, or over the last `intervalSeconds` (to the minute) when given and positive. */
  async metrics(intervalSeconds?: number): Promise<TManagerMetrics> {
    const body = await this.call<TManagerMetrics>('GET', '/metrics', intervalSeconds === undefined ? {} : { interval: String(intervalSeconds) });
    if (typeof body !== 'object' || body === null || typeof body.components !== 'object' || body.components === null || typeof body.stmgrs !== 'object' || body.stmgrs === null) {
      throw new RuntimeError(`the topology manager at ${this.address} answered /metrics with something other than a metrics view`, { code: 'RUNTIME_TMANAGER_UNREACHABLE' });
    }
    if (body.topologyId !== this.topologyId) {
      throw new RuntimeError(`the topology manager at ${this.address} serves topology id ${body.topologyId}, not ${this.topologyId}`, { code: 'RUNTIME_TMANAGER_UNREACHABLE' });
    }
    return body;
  }

  /** The user errors the topology manager keeps, the most recently reported last; only `component`'s when given. */
  async exceptions(component?: string): Promise<TManagerException[]> {
    const body = await this.call<TManagerException[]>('GET', '/exceptions', component === undefined ? {} : { component });
    if (!Array.isArray(body)) throw new RuntimeError(`the topology manager at ${this.address} answered /exceptions with something other than a list`, { code: 'RUNTIME_TMANAGER_UNREACHABLE' });
    return body;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, params: Record<string, string> = {}): Promise<T> {
    let response;
    try {
      response = await this.http.request<T & { error?: string }>({ method, url: path, params });
    } catch (error) {
      throw new RuntimeError(`the topology manager at ${this.address} did not answer ${path}: ${messageOf(error)}`, { code: 'RUNTIME_TMANAGER_UNREACHABLE', cause: error });
    }
    if (response.status !== 200) {
      const reason = typeof response.data === 'object' && response.data?.error ? response.data.error : `HTTP ${response.status}`;
      throw new RuntimeError(`the topology manager at ${this.address} refused ${path}: ${reason}`, { code: 'RUNTIME_TMANAGER_UNREACHABLE' });
    }
    return response.data;
  }
}
