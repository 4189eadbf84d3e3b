import { EgretError } from '../errors.js';

export type ConfigErrorCode =
  /** The config directory given (or the default one) does not exist. */
  | 'CONFIG_PATH_NOT_FOUND'
  /** No directory for the cluster under the config path. */
  | 'CONFIG_UNKNOWN_CLUSTER'
  /** A YAML file in the cluster directory is not one Egret reads. */
  | 'CONFIG_UNKNOWN_FILE'
  /** A YAML file does not parse, or is not a map of keys to values. */
  | 'CONFIG_SYNTAX'
  /** A `--config-property` argument is not `key=value`. */
  | 'CONFIG_BAD_PROPERTY'
  /** A `${NAME}` that is not one of the known variables. */
  | 'CONFIG_UNKNOWN_VARIABLE'
  /** A value has the wrong type or range. */
  | 'CONFIG_INVALID';

/** Thrown while reading or checking configuration; the message names the file (and line), the key and what was expected. */
export class ConfigError extends EgretError<ConfigErrorCode> {}
