/**
 * The stream manager's data path: a C++ addon running every data-plane socket on its own thread (README.md),
 * behind the {@link DataPath} contract (data-path-types.ts) the control plane in runtime/stmgr is written against.
 */
import type { DataPath, DataPathOptions } from './data-path-types.js';
import { NativeDataPath } from './native-data-path.js';

export * from './data-path-types.js';

/**
 * A data path, not yet started. Throws DataPathError `DATA_PATH_ADDON_MISSING` when the addon has neither a build
 * nor a prebuild for this platform, `DATA_PATH_INVALID_OPTIONS` for an option out of range.
 */
export function createDataPath(options: DataPathOptions): DataPath {
  return new NativeDataPath(options);
}
