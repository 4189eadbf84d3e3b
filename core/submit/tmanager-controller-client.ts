import axios, { type AxiosInstance } from 'axios';
import { messageOf } from '../errors.js';
import type { StateManager } from '../spi/state-manager.js';
import { RuntimeError } from './runtime-error.js';

/**
 * The topology manager's HTTP controller, as runtime commands use it: activate, deactivate, the current plan and
 * the metrics cache. The address comes from the topology manager's location in state. Throws
 * RUNTIME_TMANAGER_UNREACHABLE with the address and the reason.
 */
export class TManagerControllerClient {
  private constructor(
    private readonly http: AxiosInstance,
    private readonly topologyId: string,
    readonly address: string,
  ) {}

  /** A client for the topology manager of `topology`; RUNTIME_TMANAGER_UNREACHABLE when it has no location. */
  static async connect(state: StateManager, topology: string, topologyId: string, timeoutMs = 10_000): Promise<TManagerControllerClient> {
    const location = await state.find('tmanagers', topology);
    if (!location) {
      throw new RuntimeError(`the topology manager of '${topology}' is not running (no location in state); it may be starting: try again in a moment`, { code: 'RUNTIME_TMANAGER_UNREACHABLE' });
    }
    const address = `${location.host}:${location.controllerPort}`;
    return new TManagerControllerClient(axios.create({ baseURL: `http://${address}`, timeout: timeoutMs, validateStatus: () => true }), topologyId, address);
  }

  /** Sets the live state; resolves with the controller's message (which says when nothing changed). */
  async setState(action: 'activate' | 'deactivate'): Promise<string> {
    const body = await this.call<{ message?: string }>('POST', `/${action}`, { topologyid: this.topologyId });
    return body.message ?? `${action}d`;
  }

  /** The metrics cache's JSON (runtime/tmanager: per component and instance, stream managers). */
  metrics<T>(): Promise<T> {
    return this.call<T>('GET', '/metrics');
  }

  /** The user errors the topology manager keeps. */
  exceptions<T>(): Promise<T> {
    return this.call<T>('GET', '/exceptions');
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
