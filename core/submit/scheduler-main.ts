import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Container, type ContainerModule } from 'inversify';
import type { Logger } from 'winston';
import { builtInDownloadersModule } from '../download/download-module.js';
import { DownloaderRegistry } from '../download/downloader-registry.js';
import { messageOf } from '../errors.js';
import { configureLogging, createLogger, type LogLevel } from '../logging.js';
import { packageConfig, packageRuntime } from '../package/package-config.js';
import { type TopologyPackage, unpackTopologyPackage } from '../package/package-reader.js';
import { createPluginContainer } from '../plugins/plugin-container.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { packingPlanFromProto, ProtoSchedulerLocation } from '../proto/index.js';
import { Scheduler } from '../spi/scheduler.js';
import { StateManager, type StateWatch } from '../spi/state-manager.js';
import { TopologyRuntime } from '../spi/topology-runtime.js';
import { parseSchedulerMainArgs, SCHEDULER_MAIN_USAGE, type SchedulerMainArgs } from './scheduler-main-args.js';
import { SchedulerServer } from './scheduler-server.js';

/** What an entry point hands the scheduler process: the parts it composes (core never names a plugin). */
export interface SchedulerMainOptions {
  /** The registry the state manager and scheduler are chosen from (built-in plugins; `egret.plugins` adds more). */
  readonly registry: () => Promise<PluginRegistry>;
  /** Downloader modules beside core's file and http(s) ones (the remote uploaders' downloaders). */
  readonly downloaderModules: readonly ContainerModule[];
  /** Bindings made before the plugins load (a test's composition root binds a plugin's injectable commands). */
  readonly bind?: (container: Container) => void;
}

const LOG_LEVELS: readonly string[] = ['error', 'warn', 'info', 'debug'];

/**
 * Runs `egret-scheduler`, the scheduler of one topology in service mode (Heron's SchedulerMain), and returns its
 * exit code. It fetches and unpacks the package (its config.json is the config, its manifest names the topology),
 * loads the state manager and scheduler plugins the config selects, reads the packing plan, calls onSchedule,
 * serves kill, restart and update over HTTP on 127.0.0.1 (scheduler-server.ts), and writes its location as an
 * ephemeral node. Exit codes: 0 after a successful kill, after SIGTERM, SIGINT or SIGHUP, or when the topology's
 * node is deleted under it (the topology was killed by other means: it kills what it runs first); 1 when it cannot
 * start (whatever onSchedule started is killed again); 2 for a bad command line.
 *
 * A signal stops the scheduler process alone: the scheduler is closed, which leaves the topology's containers
 * running unsupervised (the Scheduler contract's close()), and `egret kill` stops them later (for the local
 * scheduler, through its pid files). Signalling the process group instead stops the local executors with it.
 */
export async function runSchedulerMain(argv: readonly string[], options: SchedulerMainOptions): Promise<number> {
  const level = process.env['EGRET_LOG_LEVEL'] ?? 'info';
  configureLogging({ level: LOG_LEVELS.includes(level) ? (level as LogLevel) : 'info', format: 'json' });
  const logger = createLogger('scheduler-main');
  let args: SchedulerMainArgs;
  try {
    args = parseSchedulerMainArgs(argv);
  } catch (error) {
    process.stderr.write(`egret-scheduler: ${messageOf(error)}\n${SCHEDULER_MAIN_USAGE}\n`);
    return 2;
  }
  const main = new SchedulerProcess(args, options, logger);
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn('signalled again while stopping; exiting now', { signal });
      process.exit(1);
    }
    signalled = true;
    void main.shutdown(`signal ${signal}`);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, onSignal);
  try {
    await main.start();
  } catch (error) {
    logger.error('the scheduler cannot start', { error: messageOf(error), code: (error as { code?: unknown }).code });
    await main.shutdown('start failed');
    return 1;
  }
  const reason = await main.ended;
  logger.info('scheduler exiting', { reason });
  return 0;
}

/** One scheduler process's parts, from start to shutdown. */
class SchedulerProcess {
  readonly ended: Promise<string>;
  private settle: (reason: string) => void = () => undefined;
  private state: StateManager | undefined;
  private scheduler: Scheduler | undefined;
  private server: SchedulerServer | undefined;
  private watch: StateWatch | undefined;
  private scheduled = false;
  private name: string | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly args: SchedulerMainArgs,
    private readonly options: SchedulerMainOptions,
    private readonly logger: Logger,
  ) {
    this.ended = new Promise((resolve) => (this.settle = resolve));
  }

  async start(): Promise<void> {
    const pkg = await this.fetchPackage();
    const { topologyName: name, topologyId } = pkg.manifest;
    this.name = name;
    const runtime: TopologyRuntime = { ...packageRuntime(pkg), packageUri: this.args.packageUri };
    const container = await createPluginContainer({
      config: packageConfig(pkg),
      registry: await this.options.registry(),
      families: ['statemgr', 'scheduler'],
      bind: (c) => {
        c.bind(TopologyRuntime).toConstantValue(runtime);
        this.options.bind?.(c);
      },
    });
    const state = container.get<StateManager>(StateManager);
    this.state = state;
    const topology = await state.find('topologies', name);
    if (!topology) throw new Error(`topology '${name}' is not running (no topology node in the state manager)`);
    if (topology.id !== topologyId) throw new Error(`the package is of submission ${topologyId}, but the running topology '${name}' is submission ${topology.id}`);
    const plan = packingPlanFromProto(await state.get('packingplans', name));
    const scheduler = container.get<Scheduler>(Scheduler);
    this.scheduler = scheduler;
    if (this.stopping) return;
    this.scheduled = true;
    await scheduler.onSchedule(plan);
    this.logger.info('topology scheduled', { topology: name, topologyId, containers: plan.containers.length + 1 });
    this.server = await SchedulerServer.start({
      scheduler,
      topologyName: name,
      logger: this.logger,
      releaseBeforeKillAnswer: () => this.release(),
      onKilled: () => void this.shutdown('killed'),
    });
    // Watch before writing the location: a kill by other means deletes the topology node; then nothing is left to serve.
    this.watch = await state.watch('topologies', name, () => this.checkTopology(name));
    const location = ProtoSchedulerLocation.create({ topologyName: name, httpEndpoint: this.server.endpoint, jobPageLink: [...scheduler.jobLinks()] });
    await state.set('schedulers', name, location, { ephemeral: true });
    this.logger.info('scheduler serving', { endpoint: this.server.endpoint, jobLinks: location.jobPageLink });
  }

  /** Stops serving and closes the scheduler and the state manager (which removes the location). Safe to call twice. */
  shutdown(reason: string): Promise<void> {
    this.stopping ??= this.shutdownOnce(reason);
    return this.stopping;
  }

  private async shutdownOnce(reason: string): Promise<void> {
    this.logger.info('scheduler stopping', { reason });
    this.watch?.cancel();
    await this.server?.close();
    // A start that failed after onSchedule must not leave containers behind; a signal or a kill leaves them as they are.
    if (reason === 'start failed' && this.scheduled) await this.quietly('killing what the failed start started', () => (this.scheduler as Scheduler).onKill({ topologyName: this.name as string }));
    await this.release();
    this.settle(reason);
  }

  /** Closes the scheduler and the state manager (its location goes with it); a kill does it before answering. */
  private async release(): Promise<void> {
    this.watch?.cancel();
    await this.quietly('closing the scheduler', () => this.scheduler?.close());
    await this.quietly('closing the state manager', () => this.state?.close());
  }

  /** On any change of the topology node: once it is gone, kill what runs and exit. */
  private async checkTopology(name: string): Promise<void> {
    if (this.stopping) return;
    const topology = await (this.state as StateManager).find('topologies', name).catch(() => 'unknown' as const);
    if (topology !== undefined) return;
    this.logger.warn('the topology node was deleted under a running scheduler; killing what it runs', { topology: name });
    await this.quietly('killing after the topology node was deleted', () => (this.scheduler as Scheduler).onKill({ topologyName: name }));
    await this.shutdown('the topology node was deleted');
  }

  private async fetchPackage(): Promise<TopologyPackage> {
    const { packageUri, workingDir } = this.args;
    mkdirSync(workingDir, { recursive: true });
    const downloads = new Container({ defaultScope: 'Singleton' });
    for (const module of [builtInDownloadersModule, ...this.options.downloaderModules]) await downloads.load(module);
    const file = join(workingDir, `package-${process.pid}.tar.gz`);
    try {
      await downloads.get<DownloaderRegistry>(DownloaderRegistry).download(packageUri, file);
      return await unpackTopologyPackage(file, join(workingDir, 'package'));
    } catch (error) {
      throw new Error(`fetching the topology package ${packageUri} failed: ${messageOf(error)}`, { cause: error });
    } finally {
      await rm(file, { force: true });
    }
  }

  private async quietly(what: string, action: () => Promise<void> | undefined): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.logger.error(`${what} failed`, { error: messageOf(error) });
    }
  }
}
