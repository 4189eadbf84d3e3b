import type { Config } from '../config/config.js';
import type { PluginFamily } from './plugin-descriptor.js';
import type { PluginRegistry } from './plugin-registry.js';
import { selectPlugin } from './plugin-selection.js';

/**
 * The families whose plugins run in a topology's own processes: the state manager in all of them, the uploader's
 * downloader in the scheduler process and the executors (both fetch the package), the scheduler plugin in the
 * scheduler process.
 */
const RUNTIME_FAMILIES: readonly PluginFamily[] = ['statemgr', 'uploader', 'scheduler'];

/**
 * Whether a topology's processes may open TLS connections through the plugins `config` selects: true unless its state
 * manager, uploader and scheduler are all in `registry` and declare `usesTls: false`. A family left unselected counts
 * as true. What it decides: core/submit/extra-ca-certs.ts.
 */
export function pluginsUseTls(registry: PluginRegistry, config: Config): boolean {
  return RUNTIME_FAMILIES.some((family) => {
    try {
      return selectPlugin(registry, config, family).descriptor.usesTls !== false;
    } catch {
      return true;
    }
  });
}
