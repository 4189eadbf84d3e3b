import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { inject, injectable } from 'inversify';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import { createLogger } from '../../core/logging.js';
import { type Launcher, LauncherError, PluginsUseTls } from '../../core/spi/launcher.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { StateManager } from '../../core/spi/state-manager.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { holdExtraCaCerts } from '../../core/submit/extra-ca-certs.js';
import { WakeUp } from '../../core/submit/wake-up.js';
import { type LocalCommand, LocalSchedulerCommand } from './local-commands.js';
import { LocalSchedulerConfig } from './local-scheduler-config.js';
import { LocalWorkingDirectory, SCHEDULER_PROCESS_NAME } from './local-working-directory.js';
import { stopProcessGroup } from './process-group.js';

/** How often the launcher looks for the scheduler's location when neither the watch nor the child's exit woke it. */
const SAFETY_LOOK_MS = 500;
/** The lines of the scheduler's log quoted when it fails to start. */
const LOG_TAIL_LINES = 20;

/**
 * Starts a topology's scheduler process (`egret-scheduler`, service mode) on this machine, detached from the
 * command that submits: in a session and process group of its own (a Ctrl-C in the user's terminal does not reach
 * it), stdin from /dev/null, stdout and stderr appended to `logs/scheduler.log` in the topology's working directory,
 * and not waited for by this process. The scheduler then starts the executors, in its own process group.
 */
@injectable()
export class LocalLauncher implements Launcher {
  /** A scheduler process per topology (core/submit/scheduler-main.ts). */
  readonly mode = 'service' as const;
  private readonly logger: Logger;

  constructor(
    @inject(LocalSchedulerConfig) private readonly config: LocalSchedulerConfig,
    @inject(TopologyRuntime) private readonly runtime: TopologyRuntime,
    @inject(StateManager) private readonly state: StateManager,
    @inject(LocalSchedulerCommand) private readonly command: LocalCommand,
    @inject(PluginsUseTls) private readonly pluginsUseTls: boolean,
  ) {
    this.logger = createLogger('launcher:local').child({ topology: runtime.topologyName });
  }

  /**
   * Starts the scheduler process and waits until it has written its location to the state manager. Fails with
   * LAUNCHER_ENVIRONMENT when the working directory cannot be made, and LAUNCHER_LAUNCH_FAILED when the process
   * exits first (quoting the end of its log) or stays silent past `egret.scheduler.local.launch.timeout.ms`; either
   * way its whole process group is stopped first, so nothing it started is left.
   */
  async launch(_plan: PackingPlan, packageUri: string): Promise<void> {
    const name = this.runtime.topologyName;
    const dir = new LocalWorkingDirectory(this.config['egret.scheduler.local.working.directory']);
    try {
      dir.prepare();
    } catch (error) {
      throw new LauncherError(`cannot prepare the working directory ${dir.root} of '${name}': ${messageOf(error)}`, { code: 'LAUNCHER_ENVIRONMENT', cause: error });
    }
    // A location left by an earlier submission of this name would be taken for the new scheduler's.
    await this.state.delete('schedulers', name);
    const logPath = dir.logPath(SCHEDULER_PROCESS_NAME);
    const logStart = sizeOf(logPath);
    const args = [...this.command.args, '--package-uri', packageUri, '--working-dir', dir.root];
    dir.mark(SCHEDULER_PROCESS_NAME, `launching the scheduler of '${name}': ${[this.command.command, ...args].join(' ')}`);
    const child = this.spawnDetached(dir, args, logPath);
    if (child.pid !== undefined) dir.writePid(SCHEDULER_PROCESS_NAME, child.pid);
    try {
      const endpoint = await this.waitForLocation(child);
      this.logger.info('scheduler process launched', { pid: child.pid, endpoint, workingDir: dir.root });
    } catch (reason) {
      const left = child.pid === undefined ? [] : await stopProcessGroup(child.pid, this.config['egret.scheduler.local.kill.grace.ms']);
      if (child.pid !== undefined && left.length === 0) dir.removePid(SCHEDULER_PROCESS_NAME, child.pid);
      const survivors = left.length > 0 ? `; its processes ${left.join(', ')} survived SIGKILL` : '';
      throw new LauncherError(`launching the scheduler of '${name}' failed: ${messageOf(reason)}${survivors}; the end of its log (${logPath}):\n${logTail(logPath, logStart)}`, {
        code: 'LAUNCHER_LAUNCH_FAILED',
        cause: reason,
      });
    } finally {
      // The submit command must be free to exit while the scheduler runs on.
      child.unref();
    }
  }

  async close(): Promise<void> {
    // Nothing is held: the scheduler process is on its own once launched.
  }

  private spawnDetached(dir: LocalWorkingDirectory, args: string[], logPath: string): ChildProcess {
    const log = openSync(logPath, 'a');
    try {
      return spawn(this.command.command, args, {
        cwd: dir.root,
        detached: true,
        stdio: ['ignore', log, log],
        // Inherited by every process the scheduler starts; the executors give it back to the instances.
        env: { ...(this.pluginsUseTls ? process.env : holdExtraCaCerts(process.env)), ...dir.identityEnv(SCHEDULER_PROCESS_NAME) },
      });
    } catch (error) {
      throw new LauncherError(`cannot start the scheduler process (${this.command.command}): ${messageOf(error)}`, { code: 'LAUNCHER_LAUNCH_FAILED', cause: error });
    } finally {
      closeSync(log);
    }
  }

  /**
   * Resolves with the scheduler's endpoint once its location is in the state; rejects when it ends first or times
   * out. A watch on the location and the child's exit wake the wait at once; the slow look is only a safety net.
   */
  private async waitForLocation(child: ChildProcess): Promise<string> {
    const name = this.runtime.topologyName;
    const timeoutMs = this.config['egret.scheduler.local.launch.timeout.ms'];
    const wakeUp = new WakeUp();
    let ended: string | undefined;
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      ended ??= signal ? `was killed by ${signal}` : `exited with code ${code}`;
      wakeUp.wake();
    };
    const onError = (error: Error) => {
      ended ??= `could not be started (${messageOf(error)})`;
      wakeUp.wake();
    };
    child.once('exit', onExit);
    child.once('error', onError);
    const deadline = Date.now() + timeoutMs;
    let stateError: unknown;
    const watch = await this.state.watch('schedulers', name, wakeUp.wake).catch((error: unknown) => {
      stateError = error;
      return undefined;
    });
    try {
      for (;;) {
        wakeUp.reset();
        const location = await this.state.find('schedulers', name).catch((error: unknown) => {
          stateError = error;
          return undefined;
        });
        if (location) return location.httpEndpoint;
        if (ended) throw new Error(`the scheduler process ${ended} before writing its location`);
        const left = deadline - Date.now();
        if (left <= 0) {
          const why = stateError === undefined ? '' : ` (last state error: ${messageOf(stateError)})`;
          throw new Error(`the scheduler process did not write its location within ${timeoutMs} ms${why}`);
        }
        await wakeUp.sleep(Math.min(left, SAFETY_LOOK_MS));
      }
    } finally {
      watch?.cancel();
      child.off('exit', onExit);
      child.off('error', onError);
    }
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The last lines the scheduler wrote to its log since `from`. */
function logTail(path: string, from: number): string {
  let text: string;
  try {
    text = readFileSync(path).subarray(from).toString('utf8');
  } catch (error) {
    return `(cannot read it: ${messageOf(error)})`;
  }
  const lines = text.trimEnd().split('\n');
  return lines.slice(-LOG_TAIL_LINES).join('\n') || '(empty)';
}
