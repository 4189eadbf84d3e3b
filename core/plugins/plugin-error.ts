import { EgretError } from '../errors.js';

export type PluginErrorCode =
  /** The config names a plugin that is not registered. */
  | 'PLUGIN_UNKNOWN'
  /** A family's selection key is not set. */
  | 'PLUGIN_NOT_SELECTED'
  /** A plugin descriptor is not of the expected shape, or its module did not bind what it must. */
  | 'PLUGIN_MALFORMED'
  /** Two plugins of one family share a name. */
  | 'PLUGIN_DUPLICATE'
  /** An external plugin's module could not be found or failed to load. */
  | 'PLUGIN_LOAD_FAILED'
  /** The config fails a plugin's schema. */
  | 'PLUGIN_CONFIG_INVALID';

/** Thrown while finding, loading or configuring plugins; the message names the config key, its file and the choices. */
export class PluginError extends EgretError<PluginErrorCode> {}
