import { isAbsolute, join } from 'node:path';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import type { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import type { StateManager } from '../../core/spi/state-manager.js';
import { openPackageStateManager, type RuntimePackage } from '../common/runtime-package.js';
import { FileSink } from './file-sink.js';
import type { MetricsSink } from './metrics-sink.js';
import { MetricsManagerError } from './metricsmgr-error.js';
import { PrometheusSink } from './prometheus-sink.js';
import { TManagerLink } from './tmanager-link.js';
import { TManagerSink } from './tmanager-sink.js';

/** The sinks `egret.metricsmgr.sinks` chose, and what they opened. */
export interface MetricsManagerSinks {
  readonly sinks: MetricsSink[];
  /** Opened for the tmanager sink only; the caller closes it last. */
  readonly state: StateManager | undefined;
  readonly prometheus: PrometheusSink | undefined;
}

/**
 * Sets up the sinks the package's config names. On failure, closes what it opened and throws METRICSMGR_START
 * saying which sink failed and why.
 */
export async function createSinks(pkg: RuntimePackage, options: { container: number; workingDir: string; registry: () => Promise<PluginRegistry>; logger: Logger }): Promise<MetricsManagerSinks> {
  const { runtime, manifest } = pkg;
  const { logger } = options;
  const sinks: MetricsSink[] = [];
  let state: StateManager | undefined;
  let prometheus: PrometheusSink | undefined;
  let current = '';
  try {
    for (const name of new Set(runtime['egret.metricsmgr.sinks'])) {
      current = name;
      if (name === 'file') {
        const configured = runtime['egret.metricsmgr.file.path'];
        const path = isAbsolute(configured) ? configured : join(options.workingDir, configured);
        sinks.push(new FileSink({ path, topology: manifest.topologyName, topologyId: manifest.topologyId, container: options.container, logger: logger.child({ sink: 'file' }) }));
      } else if (name === 'prometheus') {
        prometheus = await PrometheusSink.start({
          host: runtime['egret.metricsmgr.prometheus.host'],
          port: runtime['egret.metricsmgr.prometheus.port'],
          topology: manifest.topologyName,
          logger: logger.child({ sink: 'prometheus' }),
        });
        sinks.push(prometheus);
      } else {
        state = await openPackageStateManager(pkg, await options.registry());
        const link = new TManagerLink({ state, topology: manifest.topologyName, reconnectMs: runtime['egret.stmgr.reconnect.interval.ms'], logger: logger.child({ sink: 'tmanager' }) });
        await link.start();
        sinks.push(new TManagerSink(link, logger.child({ sink: 'tmanager' })));
      }
    }
  } catch (error) {
    await Promise.all(sinks.map((sink) => sink.close().catch(() => undefined)));
    await state?.close().catch(() => undefined);
    throw new MetricsManagerError(`setting up the ${current} sink failed: ${messageOf(error)}`, { code: 'METRICSMGR_START', cause: error });
  }
  return { sinks, state, prometheus };
}
