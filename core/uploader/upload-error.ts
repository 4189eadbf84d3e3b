import { isErrorOf, messageOf } from '../errors.js';
import { type UploaderErrorCode, UploaderError } from '../spi/uploader.js';
import { describeFailure, failureOfError, type TransferFailure } from '../download/transfer-failure.js';

/** The {@link UploaderError} code for a failure. */
export function uploaderCodeOf(failure: TransferFailure): UploaderErrorCode {
  switch (failure) {
    case 'not-found':
      return 'UPLOADER_TARGET_NOT_FOUND';
    case 'access-denied':
      return 'UPLOADER_ACCESS_DENIED';
    case 'unreachable':
      return 'UPLOADER_UNREACHABLE';
    case 'no-space':
    case 'failed':
      return 'UPLOADER_FAILED';
  }
}

/**
 * The {@link UploaderError} for a failed step: `doing` says what and names the target (`uploading x to s3://b/k`).
 * An UploaderError passes through; otherwise the code is that of `failure` when the caller knows it, else of what
 * {@link failureOfError} recognises, else UPLOADER_FAILED.
 */
export function uploadError(doing: string, error: unknown, failure?: TransferFailure): UploaderError {
  if (isErrorOf(error, UploaderError)) return error;
  const kind = failure ?? failureOfError(error) ?? 'failed';
  return new UploaderError(`${doing}: ${describeFailure(kind)}: ${messageOf(error)}`, { code: uploaderCodeOf(kind), cause: error });
}

/** The UPLOADER_UNDO_FAILED error for a failed undo; `doing` names the target. */
export function undoError(doing: string, error: unknown): UploaderError {
  const kind = failureOfError(error) ?? 'failed';
  return new UploaderError(`${doing}: ${describeFailure(kind)}: ${messageOf(error)}`, { code: 'UPLOADER_UNDO_FAILED', cause: error });
}
