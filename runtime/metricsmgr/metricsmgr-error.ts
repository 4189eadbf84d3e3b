import { EgretError } from '../../core/errors.js';

export type MetricsManagerErrorCode =
  /** A bad or missing command-line option. */
  | 'METRICSMGR_USAGE'
  /** The metrics manager cannot start: its endpoint is taken, a sink cannot be set up. */
  | 'METRICSMGR_START';

/** Thrown when the metrics manager cannot start; the message says what it was doing and what it found. */
export class MetricsManagerError extends EgretError<MetricsManagerErrorCode> {}
