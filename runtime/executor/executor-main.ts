import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import { builtInDownloadersModule } from '../../core/download/download-module.js';
import { DownloaderRegistry } from '../../core/download/downloader-registry.js';
import { messageOf } from '../../core/errors.js';
import { configureLogging, createLogger, type LogLevel } from '../../core/logging.js';
import { packageConfig, packageRuntime } from '../../core/package/package-config.js';
import type { TopologyPackage } from '../../core/package/package-reader.js';
import { createPluginContainer } from '../../core/plugins/plugin-container.js';
import type { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import { StateManager } from '../../core/spi/state-manager.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { ContainerExecutor } from './container-executor.js';
import type { ProcessCommands } from './container-processes.js';
import { EXECUTOR_USAGE, parseExecutorArgs } from './executor-args.js';

/** What an entry point hands the executor: the parts it composes (core never names a plugin). */
export interface ExecutorMainOptions {
  /** The plugin registry the state manager is chosen from (built-in plugins; `egret.plugins` adds external ones). */
  readonly registry: () => Promise<PluginRegistry>;
  /** Downloader modules beside core's file and http(s) ones (the remote uploaders' downloaders). */
  readonly downloaderModules: readonly ContainerModule[];
  readonly commands: ProcessCommands;
  readonly stopGraceMs?: number;
}

const LOG_LEVELS: readonly string[] = ['error', 'warn', 'info', 'debug'];

/**
 * Runs `egret-executor` and returns its exit code: 0 once stopped (SIGTERM, SIGINT) or when its container left the
 * plan, 1 when it cannot start, 2 for a bad command line. A second SIGTERM or SIGINT while stopping kills the children
 * at once. Whatever way the process exits, live children are SIGKILLed on the way out; and should the executor be
 * SIGKILLed itself, each child sees its IPC channel close and exits.
 */
export async function runExecutorMain(argv: readonly string[], options: ExecutorMainOptions): Promise<number> {
  const level = process.env['EGRET_LOG_LEVEL'] ?? 'info';
  configureLogging({ level: LOG_LEVELS.includes(level) ? (level as LogLevel) : 'info', format: 'json' });
  const logger = createLogger('executor');
  let args;
  try {
    args = parseExecutorArgs(argv);
  } catch (error) {
    process.stderr.write(`egret-executor: ${messageOf(error)}\n${EXECUTOR_USAGE}\n`);
    return 2;
  }
  const downloads = new Container({ defaultScope: 'Singleton' });
  for (const module of [builtInDownloadersModule, ...options.downloaderModules]) await downloads.load(module);
  const executor = new ContainerExecutor({
    ...args,
    downloads: downloads.get<DownloaderRegistry>(DownloaderRegistry),
    openStateManager: async (pkg: TopologyPackage) => {
      const plugins = await createPluginContainer({
        config: packageConfig(pkg),
        registry: await options.registry(),
        families: ['statemgr'],
        bind: (container) => container.bind(TopologyRuntime).toConstantValue(packageRuntime(pkg)),
      });
      return plugins.get<StateManager>(StateManager);
    },
    commands: options.commands,
    logger,
    ...(options.stopGraceMs === undefined ? {} : { stopGraceMs: options.stopGraceMs }),
  });

  process.on('exit', () => executor.killNow());
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn('signalled again while stopping; killing every child now', { signal });
      executor.killNow();
      process.exit(1);
    }
    signalled = true;
    void executor.stop(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (error) => {
    logger.error('the executor failed; killing every child', { error: messageOf(error), stack: error.stack });
    executor.killNow();
    process.exit(1);
  });

  try {
    await executor.start();
  } catch (error) {
    logger.error('the executor cannot start', { error: messageOf(error), code: (error as { code?: unknown }).code });
    await executor.stop('start failed');
    return 1;
  }
  const end = await executor.ended;
  logger.info('executor exiting', { reason: end.reason });
  return 0;
}
