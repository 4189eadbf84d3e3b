import { EgretError } from '../errors.js';

export type RuntimeErrorCode =
  /** No topology of that name runs in the cluster's state manager. */
  | 'RUNTIME_UNKNOWN_TOPOLOGY'
  /** The topology runs under another cluster, role or environment than the command named. */
  | 'RUNTIME_WRONG_TARGET'
  /** A state node the command needs is missing or unreadable (a topology half-submitted or half-killed). */
  | 'RUNTIME_STATE_INCOMPLETE'
  /** The topology manager could not be reached, or refused the request. */
  | 'RUNTIME_TMANAGER_UNREACHABLE'
  /** The request cannot be honoured (an update that changes nothing, a lock held by another update). */
  | 'RUNTIME_INVALID_REQUEST'
  /** Waiting for the topology to reach a state took longer than allowed. */
  | 'RUNTIME_TIMEOUT';

/** Thrown by the runtime manager (`egret kill`, `activate`, `deactivate`, `restart`, `update`, `status`): it says what and why, and nothing was changed unless it says so. */
export class RuntimeError extends EgretError<RuntimeErrorCode> {}
