import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'winston';
import { readRuntimeConfig } from '../../core/config/runtime-config.js';
import type { DownloaderRegistry } from '../../core/download/downloader-registry.js';
import { messageOf } from '../../core/errors.js';
import { createLogger } from '../../core/logging.js';
import { type TopologyPackage, unpackTopologyPackage } from '../../core/package/package-reader.js';
import { packingPlanFromProto } from '../../core/proto/index.js';
import type { StateManager, StateWatch } from '../../core/spi/state-manager.js';
import { containerProcesses, type ProcessCommands } from './container-processes.js';
import { ExecutorError } from './executor-error.js';
import { reapLeftoverProcesses } from './leftover-processes.js';
import { ProcessFiles } from './process-files.js';
import { ProcessSupervisor } from './process-supervisor.js';
import { RestartBackoff, type RestartBackoffOptions } from './restart-backoff.js';

/** Default time a child gets between SIGTERM and SIGKILL: more than a runtime process's own 5 s shutdown cap. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/** What a {@link ContainerExecutor} runs, and the parts its entry point composes. */
export interface ContainerExecutorOptions {
  readonly packageUri: string;
  readonly container: number;
  readonly workingDir: string;
  readonly downloads: DownloaderRegistry;
  /** Opens the state manager the package's config names (the entry point owns the plugin registry). */
  readonly openStateManager: (pkg: TopologyPackage) => Promise<StateManager>;
  readonly commands: ProcessCommands;
  readonly stopGraceMs?: number;
  readonly logger?: Logger;
}

/** Why an executor ended on its own or was ended. */
export interface ExecutorEnd {
  readonly reason: string;
}

/**
 * The executor of one container (runtime/README.md): fetches and unpacks the package, opens the state manager,
 * starts the container's processes and keeps them running, and follows the packing plan. Ends when stopped, or
 * on its own when its container leaves the plan (or the plan is deleted: the topology is gone).
 */
export class ContainerExecutor {
  private readonly logger: Logger;
  private readonly files: ProcessFiles;
  private readonly stopGraceMs: number;
  private supervisor: ProcessSupervisor | undefined;
  private state: StateManager | undefined;
  private watch: StateWatch | undefined;
  private pkg: TopologyPackage | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private settle: (end: ExecutorEnd) => void = () => undefined;
  /** Resolves once the executor has stopped every process and closed the state manager. */
  readonly ended: Promise<ExecutorEnd>;

  constructor(private readonly options: ContainerExecutorOptions) {
    this.logger = options.logger ?? createLogger('executor');
    this.files = new ProcessFiles(options.workingDir);
    this.stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    this.ended = new Promise((resolve) => (this.settle = resolve));
  }

  /** The unpacked package, once started. */
  get package(): TopologyPackage | undefined {
    return this.pkg;
  }

  /**
   * Prepares the working directory, fetches and unpacks the package, opens the state, checks that it describes this
   * package's submission and container, then starts the container's processes. Throws {@link ExecutorError} (the
   * caller then calls {@link stop} to release what was opened); returns early, starting nothing, once stopped.
   */
  start(): Promise<void> {
    this.starting ??= this.startOnce();
    return this.starting;
  }

  /** Stops every process (SIGTERM, SIGKILL after the grace period), stops following the plan, closes the state. */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.stopOnce(reason);
    return this.stopping;
  }

  /** SIGKILLs every child at once, synchronously: for an executor process that is exiting right now. */
  killNow(): void {
    this.supervisor?.killAllNow();
  }

  private async startOnce(): Promise<void> {
    const { container, workingDir, packageUri } = this.options;
    this.logger.info('executor starting', { container, packageUri, workingDir });
    this.files.prepare();
    await reapLeftoverProcesses(this.files, this.logger);
    const pkg = await this.fetchPackage();
    this.pkg = pkg;
    if (this.stopping) return;
    this.supervisor = new ProcessSupervisor({ commands: this.options.commands, files: this.files, backoff: backoffOf(pkg), stopGraceMs: this.stopGraceMs, logger: this.logger });
    const state = await this.openState(pkg);
    if (this.stopping) return;
    const name = pkg.manifest.topologyName;
    this.logger.info('package unpacked and state opened', { topology: name, topologyId: pkg.manifest.topologyId, container });
    // Watch before the first read, so that no change can fall between the two.
    this.watch = await state.watch('packingplans', name, () => this.followPlan(false));
    await this.followPlan(true);
  }

  private async fetchPackage(): Promise<TopologyPackage> {
    const { packageUri, workingDir } = this.options;
    const download = join(workingDir, 'topology.tar.gz');
    try {
      await this.options.downloads.download(packageUri, download);
    } catch (error) {
      throw new ExecutorError(`fetching the topology package ${packageUri} failed: ${messageOf(error)}`, { code: 'EXECUTOR_PACKAGE', cause: error });
    }
    try {
      return await unpackTopologyPackage(download, join(workingDir, 'package'));
    } catch (error) {
      throw new ExecutorError(`unpacking the topology package ${packageUri} failed: ${messageOf(error)}`, { code: 'EXECUTOR_PACKAGE', cause: error });
    } finally {
      await rm(download, { force: true });
    }
  }

  private async openState(pkg: TopologyPackage): Promise<StateManager> {
    const { topologyName, topologyId } = pkg.manifest;
    try {
      this.state = await this.options.openStateManager(pkg);
    } catch (error) {
      throw new ExecutorError(`opening the state manager failed: ${messageOf(error)}`, { code: 'EXECUTOR_STATE', cause: error });
    }
    const topology = await this.state.find('topologies', topologyName).catch((error: unknown) => {
      throw new ExecutorError(`reading topology '${topologyName}' from the state manager failed: ${messageOf(error)}`, { code: 'EXECUTOR_STATE', cause: error });
    });
    if (!topology) throw new ExecutorError(`topology '${topologyName}' is not running (no topology node in the state manager)`, { code: 'EXECUTOR_PLAN' });
    if (topology.id !== topologyId) {
      throw new ExecutorError(`the package is of submission ${topologyId}, but the running topology '${topologyName}' is submission ${topology.id}`, { code: 'EXECUTOR_PLAN' });
    }
    return this.state;
  }

  /**
   * Reads the packing plan and makes this container's processes match it. At start a missing plan or container is
   * an error; later it means the topology or the container went away, and the executor ends.
   */
  private async followPlan(initial: boolean): Promise<void> {
    const { container } = this.options;
    const pkg = this.pkg as TopologyPackage;
    const state = this.state as StateManager;
    const name = pkg.manifest.topologyName;
    if (this.stopping) return;
    try {
      const proto = await state.find('packingplans', name);
      if (!proto) {
        if (initial) throw new ExecutorError(`topology '${name}' has no packing plan in the state manager`, { code: 'EXECUTOR_PLAN' });
        void this.stop('the packing plan was deleted');
        return;
      }
      const plan = packingPlanFromProto(proto);
      const mine = plan.containers.find((c) => c.id === container);
      if (container !== 0 && !mine) {
        const ids = plan.containers.map((c) => c.id).join(', ');
        if (initial) throw new ExecutorError(`container ${container} is not in the packing plan of '${name}' (containers: ${ids || 'none'})`, { code: 'EXECUTOR_PLAN' });
        void this.stop(`container ${container} left the packing plan`);
        return;
      }
      const wanted = containerProcesses({ container, packageDir: pkg.dir, workingDir: this.options.workingDir, topologyId: pkg.manifest.topologyId, ...(mine ? { plan: mine } : {}) });
      const applied = await (this.supervisor as ProcessSupervisor).apply(wanted);
      if (applied.started.length > 0 || applied.stopped.length > 0) this.logger.info('applied the packing plan', { container, started: applied.started, stopped: applied.stopped });
    } catch (error) {
      if (initial) throw error;
      // A plan that does not decode is someone else's bug: keep running what runs rather than stop the container.
      this.logger.error('cannot apply the packing plan; keeping the current processes', { error: messageOf(error) });
    }
  }

  private async stopOnce(reason: string): Promise<void> {
    this.logger.info('executor stopping', { reason });
    // A start in progress is let finish its current step (a download cannot be interrupted), then sees the stop.
    await this.starting?.catch(() => undefined);
    this.watch?.cancel();
    await this.supervisor?.stopAll();
    try {
      await this.state?.close();
    } catch (error) {
      this.logger.warn('closing the state manager failed', { error: messageOf(error) });
    }
    this.logger.info('executor stopped', { reason });
    this.settle({ reason });
  }
}

/** The restart backoff the package's config sets, checked before any process starts. */
function backoffOf(pkg: TopologyPackage): RestartBackoffOptions {
  try {
    const runtime = readRuntimeConfig(pkg.config);
    const backoff = { minMs: runtime['egret.executor.restart.backoff.min.ms'], maxMs: runtime['egret.executor.restart.backoff.max.ms'] };
    new RestartBackoff(backoff);
    return backoff;
  } catch (error) {
    throw new ExecutorError(`the package's config: ${messageOf(error)}`, { code: 'EXECUTOR_PACKAGE', cause: error });
  }
}
