import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import { restoreExtraCaCerts } from '../../core/submit/extra-ca-certs.js';
import type { ProcessCommand, ProcessSpec } from './container-processes.js';
import type { ProcessFiles } from './process-files.js';
import { terminateChild } from './process-liveness.js';
import { RestartBackoff, type RestartBackoffOptions } from './restart-backoff.js';

/** The environment variables an executor gives each child, beside its own environment. */
export const CHILD_ENV = {
  /** The process's name (`stmgr-1`): for its logs, and to recognize it as ours later. */
  name: 'EGRET_PROCESS_NAME',
  /** The executor's working directory: with the name, identifies a leftover child of a dead executor. */
  workingDir: 'EGRET_WORKING_DIR',
  /** How many times the executor restarted this process before this start (0 on the first): instances publish it. */
  restartCount: 'EGRET_RESTART_COUNT',
} as const;

/** What happened to a supervised process, for observers (tests, a status page). */
export type ProcessEvent =
  | { readonly type: 'started'; readonly name: string; readonly pid: number; readonly start: number }
  | {
      readonly type: 'exited';
      readonly name: string;
      readonly pid: number | undefined;
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly runMs: number;
      /** The delay before the next start; absent when the executor stopped the process on purpose. */
      readonly restartInMs?: number;
    };

/** One process's spec and command, and where its log and pid file go. */
export interface SupervisedProcessOptions {
  readonly spec: ProcessSpec;
  readonly command: ProcessCommand;
  readonly files: ProcessFiles;
  readonly backoff: RestartBackoffOptions;
  readonly logger: Logger;
  readonly onEvent?: (event: ProcessEvent) => void;
}

/**
 * One child process kept running: started with its output appended to its log file and an IPC channel (a child
 * exits when the channel closes, so none outlives the executor, however the executor dies), restarted after each
 * death with {@link RestartBackoff}, stopped with SIGTERM then SIGKILL after a grace period.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private startedAt = 0;
  private starts = 0;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly backoff: RestartBackoff;

  constructor(private readonly options: SupervisedProcessOptions) {
    this.backoff = new RestartBackoff(options.backoff);
  }

  get name(): string {
    return this.options.spec.name;
  }

  /** The live child's pid; undefined while it is down (waiting for a restart, or stopped). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process for the first time. */
  start(): void {
    this.launch();
  }

  /**
   * Stops the process for good: no more restarts; SIGTERM, then SIGKILL if it has not exited after `graceMs`.
   * Resolves once it has exited.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    await terminateChild(child, this.exited, graceMs, () =>
      this.options.logger.warn('a process did not stop within the grace period; killing it', { process: this.name, pid: child.pid, graceMs }),
    );
  }

  /** SIGKILLs the process now and restarts nothing (for an executor on its way out). Synchronous. */
  killNow(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.child?.kill('SIGKILL');
  }

  private launch(): void {
    if (this.stopping) return;
    const { spec, command, files, logger } = this.options;
    this.starts += 1;
    const args = [...command.args, ...spec.args];
    files.mark(this.name, `start ${this.starts} of ${this.name}: ${[command.command, ...args].join(' ')}`);
    let resolveExited: () => void = () => undefined;
    this.exited = new Promise((resolve) => (resolveExited = resolve));
    let child: ChildProcess;
    const log = openSync(files.logPath(this.name), 'a');
    try {
      child = spawn(command.command, args, {
        cwd: files.workingDir,
        // The log file is the child's own descriptor: its output reaches the file even while the executor is busy.
        stdio: ['ignore', log, log, 'ipc'],
        // The instances run user code, which may open TLS connections (core/submit/extra-ca-certs.ts).
        env: { ...(spec.kind === 'instance' ? restoreExtraCaCerts(process.env) : process.env), [CHILD_ENV.name]: this.name, [CHILD_ENV.workingDir]: files.workingDir, [CHILD_ENV.restartCount]: String(this.starts - 1) },
      });
    } catch (error) {
      closeSync(log);
      this.startedAt = Date.now();
      this.onExit(undefined, null, null, error, resolveExited);
      return;
    }
    closeSync(log);
    this.child = child;
    this.startedAt = Date.now();
    child.once('exit', (code, signal) => this.onExit(child, code, signal, undefined, resolveExited));
    // A failed spawn (no such command) emits 'error' and no 'exit'; other errors (a failed kill) are only logged.
    child.on('error', (error) => {
      if (child.pid === undefined) this.onExit(child, null, null, error, resolveExited);
      else logger.warn('a child process reported an error', { process: this.name, pid: child.pid, error: messageOf(error) });
    });
    if (child.pid !== undefined) {
      if (spec.niceness) lowerPriority(child.pid, spec.niceness, this.name, logger);
      files.writePid(this.name, child.pid);
      logger.info('process started', { process: this.name, pid: child.pid, start: this.starts });
      this.options.onEvent?.({ type: 'started', name: this.name, pid: child.pid, start: this.starts });
    }
  }

  private onExit(child: ChildProcess | undefined, code: number | null, signal: NodeJS.Signals | null, error: unknown, resolveExited: () => void): void {
    if (child !== undefined && this.child !== child) return;
    const { files, logger } = this.options;
    this.child = undefined;
    const pid = child?.pid;
    if (pid !== undefined) files.removePid(this.name);
    const runMs = Date.now() - this.startedAt;
    const how = error !== undefined ? `could not start (${messageOf(error)})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
    resolveExited();
    if (this.stopping) {
      files.mark(this.name, `${this.name}${pid ? ` (pid ${pid})` : ''} ${how}: stopped by the executor`);
      logger.info('process stopped', { process: this.name, pid, code, signal });
      this.options.onEvent?.({ type: 'exited', name: this.name, pid, code, signal, runMs });
      return;
    }
    const delay = this.backoff.next(runMs);
    files.mark(this.name, `${this.name}${pid ? ` (pid ${pid})` : ''} ${how} after ${runMs} ms; restarting in ${delay} ms`);
    logger.warn('process died; restarting', { process: this.name, pid, code, signal, error: error === undefined ? undefined : messageOf(error), runMs, restartInMs: delay, starts: this.starts });
    this.options.onEvent?.({ type: 'exited', name: this.name, pid, code, signal, runMs, restartInMs: delay });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.launch();
    }, delay);
  }
}

/** Sets `pid`'s nice value `by` above this process's; a failure only costs the ordering, so it is logged. */
function lowerPriority(pid: number, by: number, name: string, logger: Logger): void {
  try {
    setPriority(pid, Math.min(19, getPriority() + by));
  } catch (error) {
    logger.debug('could not lower the CPU priority of a child process', { process: name, pid, error: messageOf(error) });
  }
}
