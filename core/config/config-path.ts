import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `conf/` directory shipped with Egret; `EGRET_CONFIG_PATH` replaces it. */
export function defaultConfigPath(): string {
  const fromEnv = process.env['EGRET_CONFIG_PATH'];
  if (fromEnv) return resolve(fromEnv);
  // This file is dist/core/config/config-path.js; the package root is three levels up.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'conf');
}
