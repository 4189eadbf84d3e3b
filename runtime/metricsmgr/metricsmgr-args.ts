import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../../core/errors.js';
import { MetricsManagerError } from './metricsmgr-error.js';

/** Printed with a command-line error. */
export const METRICSMGR_USAGE = 'usage: egret-metricsmgr --package-dir DIR --container C --working-dir DIR';

/** The command line of `egret-metricsmgr` (runtime/README.md). */
export interface MetricsManagerArgs {
  /** Absolute. */
  readonly packageDir: string;
  readonly container: number;
  /** Absolute: where the file sink's relative path and `metricsmgr.json` go. */
  readonly workingDir: string;
}

/** Parses the metrics manager's command line; throws METRICSMGR_USAGE naming the bad or missing option. */
export function parseMetricsManagerArgs(argv: readonly string[]): MetricsManagerArgs {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: { 'package-dir': { type: 'string' }, container: { type: 'string' }, 'working-dir': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new MetricsManagerError(messageOf(error), { code: 'METRICSMGR_USAGE', cause: error });
  }
  for (const option of ['package-dir', 'container', 'working-dir']) {
    if (!values[option]) throw new MetricsManagerError(`--${option} is required`, { code: 'METRICSMGR_USAGE' });
  }
  const text = values['container'] as string;
  const container = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(container)) {
    throw new MetricsManagerError(`--container: expected a container id (0, 1, 2, ...), got '${text}'`, { code: 'METRICSMGR_USAGE' });
  }
  return { packageDir: resolve(values['package-dir'] as string), container, workingDir: resolve(values['working-dir'] as string) };
}
