import type { KillRequest, RestartRequest, UpdateRequest } from '../spi/scheduler.js';

/**
 * How runtime commands (kill, restart, update) reach a topology's scheduler, whichever mode it runs in
 * (core/spi/scheduler.ts): over HTTP to the scheduler process in service mode (its address in the scheduler
 * location; scheduler-client-http.ts), or by creating the scheduler plugin in-process in library mode
 * (scheduler-client-library.ts); `schedulerClientFor` (scheduler-client-factory.ts) picks one. Methods throw
 * SchedulerError: SCHEDULER_UNREACHABLE when a service-mode scheduler cannot be reached or gives no readable
 * answer; when it answers with an error, that error's code as the scheduler threw it (SCHEDULER_UNKNOWN_CONTAINER,
 * SCHEDULER_KILL_FAILED, ...), so that callers can tell a refusal from a dead scheduler process.
 */
export interface SchedulerClient {
  /** Which way this client reaches the scheduler. */
  readonly mode: 'service' | 'library';
  kill(request: KillRequest): Promise<void>;
  restart(request: RestartRequest): Promise<void>;
  update(request: UpdateRequest): Promise<void>;
  /** Releases what the client holds (an in-process scheduler is closed). Safe to call twice. */
  close(): Promise<void>;
}
