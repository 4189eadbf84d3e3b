import { isErrorOf, messageOf } from '../errors.js';
import { StateManagerError, type StateManagerErrorCode } from '../spi/state-manager.js';

/**
 * Runs a backend operation and gives its failure the one shape the contract allows: a {@link StateManagerError}
 * passes through; anything else (an errno, a client library's exception) becomes `code` (STATE_IO unless told)
 * with a message saying what was being done, the cause attached.
 */
export async function asStateError<T>(what: string, action: () => Promise<T>, code: StateManagerErrorCode = 'STATE_IO'): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toStateError(what, error, code);
  }
}

/** The error {@link asStateError} would throw for `error`. */
export function toStateError(what: string, error: unknown, code: StateManagerErrorCode = 'STATE_IO'): StateManagerError {
  if (isErrorOf(error, StateManagerError)) return error;
  return new StateManagerError(`${what} failed: ${messageOf(error)}`, { code, cause: error });
}

/** The error for a call on a closed state manager. */
export function closedError(backend: string, operation: string): StateManagerError {
  return new StateManagerError(`${operation}: the state manager for ${backend} is closed`, { code: 'STATE_CLOSED' });
}
