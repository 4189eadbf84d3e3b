import type { TransferFailure } from '../../core/download/transfer-failure.js';
import { failureOfHttpStatus } from '../../core/download/transfer-failure.js';

/** A failed WebHDFS call: what it means, and HDFS's own exception name when the server sent a RemoteException. */
export class WebHdfsError extends Error {
  constructor(
    message: string,
    readonly failure: TransferFailure,
    readonly exception?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * HDFS exception names (the `exception` field of a RemoteException, the simple class name) and what they mean for
 * a transfer. Quotas are how HDFS says "full" to a client; a standby or retriable namenode is as good as unreachable.
 */
const BY_EXCEPTION: Readonly<Record<string, TransferFailure>> = {
  FileNotFoundException: 'not-found',
  AccessControlException: 'access-denied',
  SecurityException: 'access-denied',
  AuthorizationException: 'access-denied',
  AuthenticationException: 'access-denied',
  InvalidToken: 'access-denied',
  DSQuotaExceededException: 'no-space',
  NSQuotaExceededException: 'no-space',
  QuotaExceededException: 'no-space',
  DiskOutOfSpaceException: 'no-space',
  StandbyException: 'unreachable',
  RetriableException: 'unreachable',
};

/**
 * The error for a WebHDFS response that is not a success. The body is a RemoteException
 * (`{"RemoteException":{"exception":..,"javaClassName":..,"message":..}}`) on most errors, but some paths (a proxy,
 * an authentication filter) answer in plain text: then the status alone decides.
 */
export function webHdfsErrorOf(status: number, body: string, doing: string): WebHdfsError {
  const remote = parseRemoteException(body);
  if (remote) {
    // WebHDFS answers every IOException with 403, so a 403 says "access denied" only through a known exception.
    const failure = BY_EXCEPTION[remote.exception] ?? (status === 403 ? 'failed' : failureOfHttpStatus(status));
    return new WebHdfsError(`${doing}: HTTP ${status} ${remote.exception}: ${remote.message}`, failure, remote.exception);
  }
  const text = body.trim().slice(0, 200);
  return new WebHdfsError(`${doing}: HTTP ${status}${text ? `: ${text}` : ''}`, failureOfHttpStatus(status));
}

function parseRemoteException(body: string): { exception: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { RemoteException?: { exception?: unknown; javaClassName?: unknown; message?: unknown } };
    const remote = parsed.RemoteException;
    if (!remote) return undefined;
    const javaClass = typeof remote.javaClassName === 'string' ? remote.javaClassName : '';
    // `exception` is the simple name; fall back to the tail of the Java class name (`SecretManager$InvalidToken`).
    const exception = typeof remote.exception === 'string' ? remote.exception : (javaClass.split(/[.$]/).pop() ?? 'RemoteException');
    return { exception, message: typeof remote.message === 'string' ? remote.message : '' };
  } catch {
    return undefined;
  }
}
