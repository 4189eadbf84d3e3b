import { parseArgs } from 'node:util';
import { createLogger } from '../../core/logging.js';
import { messageOf } from '../../core/errors.js';
import type { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import type { StateManager } from '../../core/spi/state-manager.js';
import { shutDown, stopRequested } from '../common/process-lifecycle.js';
import { openPackageStateManager, readRuntimePackage } from '../common/runtime-package.js';
import { TopologyManager } from './topology-manager.js';

const USAGE = 'usage: egret-tmanager --package-dir DIR [--host HOST]';

/**
 * The `egret-tmanager` process: reads the unpacked package, opens its state manager through `registry` (the entry
 * point names the built-in plugins), and serves until told to stop. Never returns: it exits 0 when stopped, 1 when
 * it cannot start or loses its place, 2 for a bad command line.
 */
export async function runTManagerProcess(argv: readonly string[], registry: () => Promise<PluginRegistry>): Promise<never> {
  const logger = createLogger('tmanager');
  let args: { packageDir: string; host: string };
  try {
    const { values } = parseArgs({ args: [...argv], options: { 'package-dir': { type: 'string' }, host: { type: 'string' } }, strict: true });
    if (!values['package-dir']) throw new Error('--package-dir is required');
    args = { packageDir: values['package-dir'], host: values.host ?? '127.0.0.1' };
  } catch (error) {
    process.stderr.write(`egret-tmanager: ${messageOf(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const lifecycle = stopRequested(logger);
  let state: StateManager | undefined;
  let manager: TopologyManager | undefined;
  try {
    const pkg = await readRuntimePackage(args.packageDir);
    state = await openPackageStateManager(pkg, await registry());
    manager = await TopologyManager.start({
      state,
      topologyName: pkg.manifest.topologyName,
      topologyId: pkg.manifest.topologyId,
      config: pkg.config,
      runtime: pkg.runtime,
      host: args.host,
      logger,
      onFatal: (reason) => lifecycle.fatal(reason),
    });
  } catch (error) {
    logger.error('the topology manager cannot start', { error: messageOf(error), code: (error as { code?: unknown }).code });
    return shutDown(logger, { reason: 'start failed', exitCode: 1 }, [['closing the state manager', async () => state?.close()]]);
  }
  const request = await lifecycle.stopped;
  return shutDown(logger, request, [
    ['stopping the topology manager', async () => manager?.stop()],
    // Closing removes the ephemeral location, so a successor need not wait for it.
    ['closing the state manager', async () => state?.close()],
  ]);
}
