import { EgretError } from '../errors.js';

export type SubmitErrorCode =
  /** A topology of that name is running: nothing was changed. */
  | 'SUBMIT_ALREADY_RUNNING'
  /** The topology asks for something this Egret cannot run (a reliability mode, a spec file). */
  | 'SUBMIT_UNSUPPORTED'
  /** A step failed; every step before it was undone (the message says which, and what could not be undone). */
  | 'SUBMIT_FAILED'
  /** Submitted, but `--wait` gave up before every instance was running (the topology stays submitted). */
  | 'SUBMIT_WAIT_TIMEOUT';

/** Thrown by `egret submit`; the message names the step that failed, why, and what was undone. */
export class SubmitError extends EgretError<SubmitErrorCode> {}
