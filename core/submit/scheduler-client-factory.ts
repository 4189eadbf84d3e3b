import { isErrorOf, messageOf } from '../errors.js';
import { createLogger } from '../logging.js';
import { type KillRequest, type RestartRequest, SchedulerError, schedulerModeOf, type UpdateRequest } from '../spi/scheduler.js';
import type { StateManager } from '../spi/state-manager.js';
import type { SchedulerClient } from './scheduler-client.js';
import { HttpSchedulerClient } from './scheduler-client-http.js';
import { type LibrarySchedulerContext, LibrarySchedulerClient } from './scheduler-client-library.js';

/** What {@link schedulerClientFor} needs to find and reach a topology's scheduler. */
export interface SchedulerClientContext extends LibrarySchedulerContext {
  readonly state: StateManager;
  readonly topologyName: string;
  /**
   * Let a kill reach a service-mode topology in library mode when its scheduler process cannot be reached (no
   * location, or no answer): the scheduler plugin, created here, stops what the dead process started. Default false.
   */
  readonly fallbackToLibrary?: boolean;
  /** Of each HTTP request; default DEFAULT_SCHEDULER_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

const logger = createLogger('scheduler-client');

/**
 * The client for a topology's scheduler, chosen by its scheduler location (`schedulerModeOf`): library mode → the
 * scheduler created in-process; service mode → HTTP to the location's endpoint. With no location, the execution
 * state's `scheduler_mode` decides; a service-mode topology without a location has lost its scheduler process, and
 * its client throws SCHEDULER_UNREACHABLE for everything but a kill with `fallbackToLibrary`.
 *
 * The fallback: with `fallbackToLibrary`, a kill that fails with SCHEDULER_UNREACHABLE (no location, refused,
 * timed out, not a scheduler answering) is carried out in-process instead, so that `egret kill` works after the
 * scheduler process died. An answer from the scheduler, even NOTOK, is never second-guessed.
 */
export async function schedulerClientFor(context: SchedulerClientContext): Promise<SchedulerClient> {
  const { state, topologyName: name } = context;
  const library = () => new LibrarySchedulerClient(context);
  const location = await state.find('schedulers', name);
  if (location && schedulerModeOf(location.httpEndpoint) === 'library') return library();
  if (!location) {
    const execution = await state.find('executionstate', name);
    if (execution?.schedulerMode === 'library') return library();
  }
  const primary = location
    ? new HttpSchedulerClient(location.httpEndpoint, name, context.timeoutMs === undefined ? {} : { timeoutMs: context.timeoutMs })
    : new MissingSchedulerClient(name);
  return context.fallbackToLibrary ? new KillFallbackSchedulerClient(primary, library) : primary;
}

/** A service-mode topology's client when its scheduler process has written no location (it is gone). */
class MissingSchedulerClient implements SchedulerClient {
  readonly mode = 'service' as const;

  constructor(private readonly topologyName: string) {}

  kill(_request: KillRequest): Promise<void> {
    return Promise.reject(this.unreachable('kill'));
  }

  restart(_request: RestartRequest): Promise<void> {
    return Promise.reject(this.unreachable('restart'));
  }

  update(_request: UpdateRequest): Promise<void> {
    return Promise.reject(this.unreachable('update'));
  }

  async close(): Promise<void> {}

  private unreachable(command: string): SchedulerError {
    return new SchedulerError(
      `the scheduler process of '${this.topologyName}' is not running (no scheduler location in the state manager), so it cannot ${command}; egret kill still stops the topology`,
      { code: 'SCHEDULER_UNREACHABLE' },
    );
  }
}

/** A service-mode client whose kill falls back to library mode when the scheduler process cannot be reached. */
class KillFallbackSchedulerClient implements SchedulerClient {
  readonly mode = 'service' as const;

  constructor(
    private readonly primary: SchedulerClient,
    private readonly fallback: () => SchedulerClient,
  ) {}

  async kill(request: KillRequest): Promise<void> {
    try {
      await this.primary.kill(request);
    } catch (error) {
      if (!isErrorOf(error, SchedulerError, 'SCHEDULER_UNREACHABLE')) throw error;
      logger.warn('the scheduler process cannot be reached; killing the topology in-process instead', { topology: request.topologyName, reason: error.message });
      const library = this.fallback();
      try {
        await library.kill(request);
      } catch (fallbackError) {
        const code = isErrorOf(fallbackError, SchedulerError) ? fallbackError.code : 'SCHEDULER_KILL_FAILED';
        throw new SchedulerError(`${error.message}; killing it in-process instead failed too: ${messageOf(fallbackError)}`, { code, cause: fallbackError });
      } finally {
        await library.close();
      }
    }
  }

  restart(request: RestartRequest): Promise<void> {
    return this.primary.restart(request);
  }

  update(request: UpdateRequest): Promise<void> {
    return this.primary.update(request);
  }

  close(): Promise<void> {
    return this.primary.close();
  }
}
