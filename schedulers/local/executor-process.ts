import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import { terminateChild } from '../../runtime/executor/process-liveness.js';
import { RestartBackoff, type RestartBackoffOptions } from '../../runtime/executor/restart-backoff.js';
import type { LocalCommand } from './local-commands.js';
import { LocalWorkingDirectory } from './local-working-directory.js';

/** What happened to an executor, for observers (tests, logs). */
export type ExecutorEvent =
  | { readonly type: 'started'; readonly container: number; readonly pid: number; readonly start: number }
  | {
      readonly type: 'exited';
      readonly container: number;
      readonly pid: number | undefined;
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly ranMs: number;
      /** When it will be started again; absent when it is not (stopped, restarted on request, or ended on its own). */
      readonly restartInMs?: number;
    };

/** One container's executor: its command, its package, where it works. */
export interface ExecutorProcessOptions {
  readonly container: number;
  readonly command: LocalCommand;
  readonly packageUri: string;
  readonly dir: LocalWorkingDirectory;
  readonly delays: RestartBackoffOptions;
  readonly logger: Logger;
  readonly onEvent?: (event: ExecutorEvent) => void;
}

/**
 * supervised: restarted when it dies; restarting: being stopped to start again at once; ended: exited 0 on its own;
 * stopped: for good; released: left running, no longer watched (the scheduler process is going away).
 */
type Mode = 'supervised' | 'restarting' | 'ended' | 'stopped' | 'released';

/**
 * One executor, a child of the scheduler process: started with its output appended to `logs/executor-<c>.log` and
 * its pid in `pids/executor-<c>.pid`, in its own working directory `container-<c>/`. When it dies it is started
 * again after a {@link RestartBackoff}, except when it exits 0: an executor exits 0 only when stopped or when its
 * container left the packing plan (or the plan is gone), and then starting it again would be wrong.
 */
export class ExecutorProcess {
  readonly name: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private mode: Mode = 'supervised';
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private starts = 0;
  private startedAt = 0;
  private readonly delay: RestartBackoff;

  constructor(private readonly options: ExecutorProcessOptions) {
    this.name = LocalWorkingDirectory.executorName(options.container);
    this.delay = new RestartBackoff(options.delays);
  }

  get container(): number {
    return this.options.container;
  }

  /** The live executor's pid; undefined while it is down. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the executor for the first time. */
  start(): void {
    this.launch();
  }

  /** Stops it for good: SIGTERM, SIGKILL after `graceMs`. Resolves once it has exited. */
  async stop(graceMs: number): Promise<void> {
    this.mode = 'stopped';
    this.cancelRestart();
    await this.terminate(graceMs);
  }

  /**
   * Stops it (SIGTERM, SIGKILL after `graceMs`) and starts it again at once, with a clean restart record; also
   * revives an executor that ended on its own. Does nothing once stopped or released.
   */
  restart(graceMs: number): Promise<void> {
    this.restarting ??= this.restartOnce(graceMs).finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  /** Stops watching it and leaves it running: it outlives this process, found later by its pid file. */
  release(): void {
    this.mode = 'released';
    this.cancelRestart();
    this.child?.unref();
  }

  private async restartOnce(graceMs: number): Promise<void> {
    if (this.mode === 'stopped' || this.mode === 'released') return;
    this.mode = 'restarting';
    this.cancelRestart();
    await this.terminate(graceMs);
    // A stop or release that came meanwhile wins.
    if (this.mode !== 'restarting') return;
    this.mode = 'supervised';
    this.delay.reset();
    this.launch();
  }

  private async terminate(graceMs: number): Promise<void> {
    const child = this.child;
    if (!child) return;
    await terminateChild(child, this.exited, graceMs, () =>
      this.options.logger.warn('an executor did not stop within the grace period; killing it', { container: this.container, pid: child.pid, graceMs }),
    );
  }

  private cancelRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private launch(): void {
    if (this.mode !== 'supervised') return;
    const { command, container, dir, packageUri, logger } = this.options;
    this.starts += 1;
    const args = [...command.args, '--package-uri', packageUri, '--container', String(container), '--working-dir', dir.containerDir(container)];
    dir.mark(this.name, `start ${this.starts} of ${this.name}: ${[command.command, ...args].join(' ')}`);
    let settle: () => void = () => undefined;
    this.exited = new Promise((resolve) => (settle = resolve));
    this.startedAt = Date.now();
    let child: ChildProcess;
    let log: number | undefined;
    try {
      mkdirSync(dir.containerDir(container), { recursive: true });
      log = openSync(dir.logPath(this.name), 'a');
      // Not detached: executors share the scheduler's process group, so that signalling the group stops them all.
      child = spawn(command.command, args, { cwd: dir.root, stdio: ['ignore', log, log], env: { ...process.env, ...dir.identityEnv(this.name) } });
    } catch (error) {
      this.onExit(undefined, null, null, error, settle);
      return;
    } finally {
      if (log !== undefined) closeSync(log);
    }
    this.child = child;
    child.once('exit', (code, signal) => this.onExit(child, code, signal, undefined, settle));
    child.on('error', (error) => {
      // Without a pid the spawn itself failed and no 'exit' follows; otherwise it was a failed signal, only worth a line.
      if (child.pid === undefined) this.onExit(child, null, null, error, settle);
      else logger.warn('an executor reported an error', { container, pid: child.pid, error: messageOf(error) });
    });
    if (child.pid !== undefined) {
      dir.writePid(this.name, child.pid);
      logger.info('executor started', { container, pid: child.pid, start: this.starts });
      this.options.onEvent?.({ type: 'started', container, pid: child.pid, start: this.starts });
    }
  }

  private onExit(child: ChildProcess | undefined, code: number | null, signal: NodeJS.Signals | null, error: unknown, settle: () => void): void {
    if (child !== undefined && child !== this.child) return;
    const { container, dir, logger } = this.options;
    this.child = undefined;
    const pid = child?.pid;
    if (pid !== undefined) dir.removePid(this.name, pid);
    const ranMs = Date.now() - this.startedAt;
    settle();
    const how = error !== undefined ? `could not start (${messageOf(error)})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const who = `${this.name}${pid === undefined ? '' : ` (pid ${pid})`}`;
    const event = { type: 'exited', container, pid, code, signal, ranMs } as const;
    if (this.mode !== 'supervised') {
      dir.mark(this.name, `${who} ${how} (${this.mode})`);
      logger.info('executor exited', { container, pid, code, signal, mode: this.mode });
      this.options.onEvent?.(event);
      return;
    }
    if (code === 0) {
      this.mode = 'ended';
      dir.mark(this.name, `${who} ${how}: it ended on its own (stopped, or its container left the packing plan), so it is not restarted`);
      logger.info('executor ended on its own; not restarting it', { container, pid });
      this.options.onEvent?.(event);
      return;
    }
    const delay = this.delay.next(ranMs);
    dir.mark(this.name, `${who} ${how} after ${ranMs} ms; restarting in ${delay} ms`);
    logger.warn('executor died; restarting it', { container, pid, code, signal, ranMs, restartInMs: delay, error: error === undefined ? undefined : messageOf(error) });
    this.options.onEvent?.({ ...event, restartInMs: delay });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.launch();
    }, delay);
  }
}
