import type { KillRequest, RestartRequest, UpdateRequest } from '../spi/scheduler.js';

/**
 * How runtime commands (kill, restart, update) reach a topology's scheduler, whichever mode it runs in
 * (core/spi/scheduler.ts): over HTTP to the scheduler process in service mode (its address in the scheduler
 * location), or by creating the scheduler plugin in-process in library mode. Methods throw SchedulerError
 * (SCHEDULER_UNREACHABLE when a service-mode scheduler cannot be reached or answers with an error).
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
