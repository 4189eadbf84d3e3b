import type { DownloaderErrorCode } from '../spi/downloader.js';

/**
 * What went wrong while moving a package, independent of the direction: uploaders and downloaders each turn it
 * into their own error code, so that the same cause (ENOSPC, a 403, a refused connection) reads the same way in
 * both.
 */
export type TransferFailure = 'not-found' | 'access-denied' | 'unreachable' | 'no-space' | 'failed';

const SYSTEM_CODES: Readonly<Record<string, TransferFailure>> = {
  ENOENT: 'not-found',
  ENOTDIR: 'not-found',
  EACCES: 'access-denied',
  EPERM: 'access-denied',
  EROFS: 'access-denied',
  ENOSPC: 'no-space',
  EDQUOT: 'no-space',
  EFBIG: 'no-space',
  ECONNREFUSED: 'unreachable',
  ECONNRESET: 'unreachable',
  ECONNABORTED: 'unreachable',
  ETIMEDOUT: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EPIPE: 'unreachable',
};

/**
 * The failure an error from Node (fs, net) or from an HTTP client stands for, looking through `cause` chains;
 * undefined when nothing in it is recognised.
 */
export function failureOfError(error: unknown): TransferFailure | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in SYSTEM_CODES) return SYSTEM_CODES[code];
  }
  return undefined;
}

/** The failure an HTTP status reports (only called for statuses that are not a success). */
export function failureOfHttpStatus(status: number): TransferFailure {
  if (status === 404 || status === 410) return 'not-found';
  if (status === 401 || status === 403) return 'access-denied';
  if (status === 408 || status === 502 || status === 503 || status === 504) return 'unreachable';
  if (status === 507) return 'no-space';
  return 'failed';
}

/** Words for a failure, to put in a message after what was being done. */
export function describeFailure(failure: TransferFailure): string {
  switch (failure) {
    case 'not-found':
      return 'not found';
    case 'access-denied':
      return 'access denied';
    case 'unreachable':
      return 'unreachable or too slow to answer';
    case 'no-space':
      return 'no space left';
    case 'failed':
      return 'failed';
  }
}

/** The {@link DownloaderError} code for a failure. */
export function downloaderCodeOf(failure: TransferFailure): DownloaderErrorCode {
  switch (failure) {
    case 'not-found':
      return 'DOWNLOADER_NOT_FOUND';
    case 'access-denied':
      return 'DOWNLOADER_ACCESS_DENIED';
    case 'unreachable':
      return 'DOWNLOADER_UNREACHABLE';
    case 'no-space':
    case 'failed':
      return 'DOWNLOADER_FAILED';
  }
}
