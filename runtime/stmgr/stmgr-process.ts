import { parseArgs } from 'node:util';
import { messageOf } from '../../core/errors.js';
import { createLogger } from '../../core/logging.js';
import type { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import type { StateManager } from '../../core/spi/state-manager.js';
import type { DataPath, DataPathOptions } from '../../native/data-path-types.js';
import { shutDown, stopRequested } from '../common/process-lifecycle.js';
import { restartCount } from '../metrics/restart-count.js';
import { openPackageStateManager, readRuntimePackage } from '../common/runtime-package.js';
import { StreamManager } from './stream-manager.js';

const USAGE = 'usage: egret-stmgr --package-dir DIR --container C [--host HOST] [--local-endpoint ENDPOINT]';

/** What the entry point hands the stream manager process: its plugins and its data path. */
export interface StMgrProcessParts {
  readonly registry: () => Promise<PluginRegistry>;
  readonly createDataPath: (options: DataPathOptions) => DataPath;
}

/**
 * The `egret-stmgr` process: reads the unpacked package, opens its state manager, starts the stream manager of
 * `--container` and serves until SIGTERM (closing the data path cleanly) or until the executor's IPC channel
 * closes. Never returns: exits 0 when stopped, 1 when it cannot start, 2 for a bad command line.
 */
export async function runStMgrProcess(argv: readonly string[], parts: StMgrProcessParts): Promise<never> {
  let args: { packageDir: string; container: number; host: string; localEndpoint: string | undefined };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { 'package-dir': { type: 'string' }, container: { type: 'string' }, host: { type: 'string' }, 'local-endpoint': { type: 'string' } },
      strict: true,
    });
    if (!values['package-dir']) throw new Error('--package-dir is required');
    const container = Number(values.container);
    if (!Number.isSafeInteger(container) || container < 1) throw new Error(`--container must be a whole number >= 1, not ${JSON.stringify(values.container ?? '')}`);
    args = { packageDir: values['package-dir'], container, host: values.host ?? '127.0.0.1', localEndpoint: values['local-endpoint'] };
  } catch (error) {
    process.stderr.write(`egret-stmgr: ${messageOf(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const logger = createLogger(`stmgr-${args.container}`);
  const lifecycle = stopRequested(logger);
  let state: StateManager | undefined;
  let manager: StreamManager | undefined;
  try {
    const pkg = await readRuntimePackage(args.packageDir);
    state = await openPackageStateManager(pkg, await parts.registry());
    manager = await StreamManager.start({
      state,
      topologyName: pkg.manifest.topologyName,
      topologyId: pkg.manifest.topologyId,
      container: args.container,
      runtime: pkg.runtime,
      configFallback: (key) => pkg.config.get(key),
      host: args.host,
      ...(args.localEndpoint === undefined ? {} : { localEndpoint: args.localEndpoint }),
      logger,
      createDataPath: parts.createDataPath,
      restarts: restartCount(process.env),
    });
  } catch (error) {
    logger.error('the stream manager cannot start', { error: messageOf(error), code: (error as { code?: unknown }).code });
    return shutDown(logger, { reason: 'start failed', exitCode: 1 }, [['closing the state manager', async () => state?.close()]]);
  }
  const request = await lifecycle.stopped;
  return shutDown(logger, request, [
    ['closing the data path', async () => manager?.stop()],
    ['closing the state manager', async () => state?.close()],
  ]);
}
