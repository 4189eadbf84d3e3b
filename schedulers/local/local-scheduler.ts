import { pathToFileURL } from 'node:url';
import { inject, injectable } from 'inversify';
import type { Logger } from 'winston';
import { createLogger } from '../../core/logging.js';
import type { ContainerPlan, PackingPlan } from '../../core/spi/packing-plan.js';
import { type KillRequest, type RestartRequest, type Scalable, type Scheduler, SchedulerError, type SchedulerErrorCode, type UpdateRequest } from '../../core/spi/scheduler.js';
import { StateManager } from '../../core/spi/state-manager.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { updatePackingPlan } from '../../core/submit/topology-update.js';
import { type ExecutorEvent, ExecutorProcess } from './executor-process.js';
import { type LocalCommand, LocalExecutorCommand } from './local-commands.js';
import { LocalSchedulerConfig } from './local-scheduler-config.js';
import { LocalWorkingDirectory, SCHEDULER_PROCESS_NAME } from './local-working-directory.js';
import { describeProcess } from './process-termination.js';
import { stopTopologyProcesses } from './topology-processes.js';

/** DI token of an optional observer of the executors' starts and exits (tests bind one). */
export const LocalExecutorEvents: unique symbol = Symbol.for('egret.scheduler.local.ExecutorEvents');

/** Called with every {@link ExecutorEvent} of a {@link LocalScheduler}. */
export type LocalExecutorEvents = (event: ExecutorEvent) => void;

/**
 * Runs a topology on this machine (`egret.scheduler: local`, service mode): one `egret-executor` per container,
 * container 0 included, each a child process of the scheduler process working in `container-<c>/` of the
 * topology's working directory, restarted with backoff whenever it dies, until the topology is killed.
 *
 * What the scheduler process starts outlives it: should it die, its executors keep the topology running, and a
 * LocalScheduler created in any other process (`egret kill` falling back to library mode) finds them by their pid
 * files and stops them, the scheduler process first if it is still around. Only kill works that way: restarting
 * and scaling need the scheduler process that supervises the executors.
 */
@injectable()
export class LocalScheduler implements Scheduler, Scalable {
  private readonly dir: LocalWorkingDirectory;
  private readonly logger: Logger;
  private readonly executors = new Map<number, ExecutorProcess>();
  /** True once onSchedule ran here: this process supervises the executors. */
  private supervising = false;
  private killed = false;
  private closed = false;

  constructor(
    @inject(LocalSchedulerConfig) private readonly config: LocalSchedulerConfig,
    @inject(TopologyRuntime) private readonly runtime: TopologyRuntime,
    @inject(StateManager) private readonly state: StateManager,
    @inject(LocalExecutorCommand) private readonly command: LocalCommand,
    @inject(LocalExecutorEvents) private readonly events: LocalExecutorEvents,
  ) {
    this.dir = new LocalWorkingDirectory(config['egret.scheduler.local.working.directory']);
    this.logger = createLogger('scheduler:local').child({ topology: runtime.topologyName });
  }

  /** The topology's working directory. */
  get workingDirectory(): string {
    return this.dir.root;
  }

  /** The pid of container `c`'s executor while this process supervises it and it runs. */
  executorPid(container: number): number | undefined {
    return this.executors.get(container)?.pid;
  }

  /**
   * Stops whatever an earlier run left in the working directory, then starts container 0's executor and one per
   * container of the plan. Resolves once they are started, not once they are up. SCHEDULER_SCHEDULE_FAILED without
   * a package URI, when called twice, or when leftovers cannot be stopped.
   */
  async onSchedule(plan: PackingPlan): Promise<void> {
    const packageUri = this.runtime.packageUri;
    if (!packageUri) throw this.error('SCHEDULER_SCHEDULE_FAILED', 'cannot start executors: the topology runtime carries no package URI');
    if (this.supervising || this.killed || this.closed) throw this.error('SCHEDULER_SCHEDULE_FAILED', 'this local scheduler has already scheduled the topology');
    this.supervising = true;
    this.dir.prepare();
    // A topology of the same name killed badly may have left executors behind; they would fight over the container.
    const left = await stopTopologyProcesses(this.dir, this.sweep());
    if (left.length > 0) throw this.error('SCHEDULER_SCHEDULE_FAILED', `processes of an earlier run in ${this.dir.root} survived SIGKILL: ${left.map(describeProcess).join(', ')}`);
    for (const container of [0, ...plan.containers.map((c) => c.id)]) this.startExecutor(container, packageUri);
    this.logger.info('executors started', { containers: [...this.executors.keys()], workingDir: this.dir.root });
  }

  jobLinks(): readonly string[] {
    return [pathToFileURL(this.dir.root).href];
  }

  /**
   * Stops every executor (SIGTERM, SIGKILL after `egret.scheduler.local.kill.grace.ms`) and waits until every process
   * of the topology the pid files name is gone, the executors' children included. Works in any process.
   * SCHEDULER_KILL_FAILED names the processes that survived SIGKILL.
   */
  async onKill(_request: KillRequest): Promise<void> {
    this.killed = true;
    const grace = this.graceMs;
    await Promise.all([...this.executors.values()].map((executor) => executor.stop(grace)));
    this.executors.clear();
    const left = await stopTopologyProcesses(this.dir, this.sweep());
    if (left.length > 0) throw this.error('SCHEDULER_KILL_FAILED', `processes survived SIGKILL: ${left.map(describeProcess).join(', ')}`);
    // In the scheduler process, the pid file names this process, which exits once the kill is answered.
    this.dir.removePid(SCHEDULER_PROCESS_NAME, process.pid);
    this.logger.info('every process of the topology is gone', { workingDir: this.dir.root });
  }

  /** Stops and starts again one container's executor (and so its processes), or every executor at once. */
  async onRestart(request: RestartRequest): Promise<void> {
    this.requireSupervising('SCHEDULER_RESTART_FAILED', 'restart');
    const targets = request.containerId === undefined ? [...this.executors.values()] : [this.executorOf(request.containerId)];
    await Promise.all(targets.map((executor) => executor.restart(this.graceMs)));
    this.logger.info('executors restarted', { containers: targets.map((e) => e.container) });
  }

  /** See updatePackingPlan: new executors first, then the plan, then the old executors go. */
  async onUpdate(request: UpdateRequest): Promise<void> {
    this.requireSupervising('SCHEDULER_UPDATE_FAILED', 'update');
    await updatePackingPlan(this, this.state, request);
  }

  /** Starts an executor per container; they keep failing (and being restarted) until the plan names them. */
  async addContainers(containers: readonly ContainerPlan[]): Promise<ContainerPlan[]> {
    this.requireSupervising('SCHEDULER_UPDATE_FAILED', 'add containers');
    const clash = containers.filter((c) => this.executors.has(c.id));
    if (clash.length > 0) throw this.error('SCHEDULER_UPDATE_FAILED', `container(s) ${clash.map((c) => c.id).join(', ')} already run`);
    for (const container of containers) this.startExecutor(container.id, this.runtime.packageUri as string);
    return [...containers];
  }

  /** Stops the executors of `containers` and waits until their processes are gone. Container 0 cannot be removed. */
  async removeContainers(containers: readonly ContainerPlan[]): Promise<void> {
    this.requireSupervising('SCHEDULER_UPDATE_FAILED', 'remove containers');
    const ids = containers.map((c) => c.id);
    if (ids.includes(0)) throw this.error('SCHEDULER_UPDATE_FAILED', 'container 0 runs the topology manager and cannot be removed');
    const executors = ids.map((id) => this.executorOf(id));
    await Promise.all(executors.map((executor) => executor.stop(this.graceMs)));
    for (const id of ids) this.executors.delete(id);
    const left = await stopTopologyProcesses(this.dir, { ...this.sweep(), containers: ids });
    if (left.length > 0) throw this.error('SCHEDULER_UPDATE_FAILED', `processes of removed container(s) survived SIGKILL: ${left.map(describeProcess).join(', ')}`);
  }

  /**
   * Stops watching the executors and leaves them running (the scheduler process is going away without a kill);
   * their pid files stay, for `egret kill` to find them.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = [...this.executors.values()].filter((executor) => executor.pid !== undefined);
    for (const executor of this.executors.values()) executor.release();
    this.executors.clear();
    if (running.length > 0 && !this.killed) {
      this.logger.warn('the scheduler stops supervising; the executors keep running, and egret kill stops them', { executors: running.map((e) => e.pid), workingDir: this.dir.root });
    }
  }

  private startExecutor(container: number, packageUri: string): void {
    const executor = new ExecutorProcess({
      container,
      command: this.command,
      packageUri,
      dir: this.dir,
      delays: { minMs: this.config['egret.scheduler.local.restart.backoff.min.ms'], maxMs: this.config['egret.scheduler.local.restart.backoff.max.ms'] },
      logger: this.logger,
      onEvent: this.events,
    });
    this.executors.set(container, executor);
    executor.start();
  }

  private executorOf(container: number): ExecutorProcess {
    const executor = this.executors.get(container);
    if (!executor) {
      const known = [...this.executors.keys()].sort((a, b) => a - b).join(', ');
      throw this.error('SCHEDULER_UNKNOWN_CONTAINER', `there is no container ${container} (containers: ${known || 'none'})`);
    }
    return executor;
  }

  private requireSupervising(code: 'SCHEDULER_RESTART_FAILED' | 'SCHEDULER_UPDATE_FAILED', what: string): void {
    if (this.killed) throw this.error(code, `cannot ${what}: the topology is killed`);
    if (this.closed) throw this.error(code, `cannot ${what}: this scheduler is closed`);
    if (!this.supervising) {
      throw this.error(code, `cannot ${what} here: the executors are supervised by the topology's scheduler process, which this process is not (if it died, egret kill and submit again)`);
    }
  }

  private sweep(): { graceMs: number; logger: Logger } {
    return { graceMs: this.graceMs, logger: this.logger };
  }

  private get graceMs(): number {
    return this.config['egret.scheduler.local.kill.grace.ms'];
  }

  private error(code: SchedulerErrorCode, text: string): SchedulerError {
    return new SchedulerError(`local scheduler of '${this.runtime.topologyName}' (${this.dir.root}): ${text}`, { code });
  }
}
