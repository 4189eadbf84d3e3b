import { EgretError } from '../../core/errors.js';

export type TManagerErrorCode =
  /** The topology's state is missing or does not fit the package (no topology node, another topology id). */
  | 'TMANAGER_STATE_INVALID'
  /** The topology asks for something this version cannot run (a reliability mode still to come). */
  | 'TMANAGER_UNSUPPORTED'
  /** Another topology manager's location node stayed in place. */
  | 'TMANAGER_LOCATION_TAKEN';

/** Thrown when the topology manager cannot start; the message says what it found and what to do. */
export class TManagerError extends EgretError<TManagerErrorCode> {}
