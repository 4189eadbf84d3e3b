import { EgretError } from '../../core/errors.js';

export type ExecutorErrorCode =
  /** The command line is wrong. */
  | 'EXECUTOR_USAGE'
  /** The package could not be downloaded or unpacked. */
  | 'EXECUTOR_PACKAGE'
  /** The state manager could not be opened or read. */
  | 'EXECUTOR_STATE'
  /** The state does not describe this container's work: no topology, another submission, no plan, not in the plan. */
  | 'EXECUTOR_PLAN';

/** Why an executor could not start; the message says what it was doing. The executor exits 1 (2 for usage). */
export class ExecutorError extends EgretError<ExecutorErrorCode> {}
