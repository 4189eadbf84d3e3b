import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import { createLogger } from '../../core/logging.js';
import type { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import { metricsManagerEndpoint } from '../common/local-endpoint.js';
import { shutDown, stopRequested } from '../common/process-lifecycle.js';
import { readRuntimePackage } from '../common/runtime-package.js';
import { MetricsManager } from './metrics-manager.js';
import { METRICSMGR_USAGE, type MetricsManagerArgs, parseMetricsManagerArgs } from './metricsmgr-args.js';
import { createSinks, type MetricsManagerSinks } from './metricsmgr-sinks.js';

/** `<working-dir>/metricsmgr.json`: where this container's metrics manager can be reached. */
export interface MetricsManagerInfo {
  readonly pid: number;
  readonly container: number;
  readonly endpoint: string;
  readonly sinks: readonly string[];
  /** The Prometheus endpoint, when that sink is on. */
  readonly prometheus: { readonly host: string; readonly port: number; readonly url: string } | null;
}

/**
 * The `egret-metricsmgr` process: reads the unpacked package, sets up the sinks it names, listens for its
 * container's publishers and serves until told to stop (SIGTERM, SIGINT, its executor gone), flushing once more on
 * the way out. Never returns: exits 0 when stopped, 1 when it cannot start, 2 for a bad command line.
 */
export async function runMetricsManagerProcess(argv: readonly string[], registry: () => Promise<PluginRegistry>): Promise<never> {
  const logger = createLogger('metricsmgr');
  let args: MetricsManagerArgs;
  try {
    args = parseMetricsManagerArgs(argv);
  } catch (error) {
    process.stderr.write(`egret-metricsmgr: ${messageOf(error)}\n${METRICSMGR_USAGE}\n`);
    process.exit(2);
  }
  const lifecycle = stopRequested(logger);
  let sinks: MetricsManagerSinks | undefined;
  let manager: MetricsManager | undefined;
  try {
    const pkg = await readRuntimePackage(args.packageDir);
    const endpoint = metricsManagerEndpoint(pkg.manifest.topologyId, args.container);
    sinks = await createSinks(pkg, { container: args.container, workingDir: args.workingDir, registry, logger });
    manager = await MetricsManager.start({ endpoint, sinks: sinks.sinks, intervalMs: pkg.runtime['egret.metrics.interval.ms'], logger });
    const info: MetricsManagerInfo = {
      pid: process.pid,
      container: args.container,
      endpoint,
      sinks: sinks.sinks.map((s) => s.name),
      prometheus: sinks.prometheus?.address ?? null,
    };
    writeInfo(args.workingDir, info, logger);
    logger.info('metrics manager serving', { ...info, intervalMs: pkg.runtime['egret.metrics.interval.ms'] });
  } catch (error) {
    logger.error('the metrics manager cannot start', { error: messageOf(error), code: (error as { code?: unknown }).code });
    const opened = sinks;
    return shutDown(logger, { reason: 'start failed', exitCode: 1 }, [
      ['closing the sinks', async () => void (await Promise.all((opened?.sinks ?? []).map((s) => s.close())))],
      ['closing the state manager', async () => opened?.state?.close()],
    ]);
  }
  const request = await lifecycle.stopped;
  const opened = sinks;
  return shutDown(logger, request, [
    ['stopping the metrics manager', async () => manager?.stop()],
    ['closing the state manager', async () => opened.state?.close()],
  ]);
}

/** Written whole (a rename), so a reader never sees half of it. */
function writeInfo(workingDir: string, info: MetricsManagerInfo, logger: Logger): void {
  const path = join(workingDir, 'metricsmgr.json');
  try {
    writeFileSync(`${path}.tmp`, `${JSON.stringify(info, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  } catch (error) {
    logger.warn('writing metricsmgr.json failed', { path, error: messageOf(error) });
  }
}
