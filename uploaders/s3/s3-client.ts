import type { S3Client } from '@aws-sdk/client-s3';
import { type TransferFailure, failureOfError } from '../../core/download/transfer-failure.js';
import { loadS3Sdk } from './s3-sdk.js';
import { type S3ClientConfig, S3UploaderKeys } from './s3-uploader-config.js';

/**
 * An S3 client from the client keys: region, endpoint, path-style addressing and static credentials when
 * configured, the SDK's standard chains (environment, shared files, instance roles) for what is not. Requests fail
 * after `timeout.ms` without a byte moving (idle, not total, so large packages are fine) and are tried
 * `max.attempts` times. With an endpoint but no region, `us-east-1` is assumed: S3-compatible stores ignore it but
 * the SDK will not sign without one.
 */
export async function createS3Client(config: S3ClientConfig): Promise<S3Client> {
  // The SDK warns on Node < 22 that its releases after early 2027 will need Node 22. Egret pins its SDK version, so
  // the warning tells an Egret user nothing they can act on; the SDK's own switch turns it off (unless set already).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const endpoint = config[S3UploaderKeys.ENDPOINT];
  const region = config[S3UploaderKeys.REGION] ?? (endpoint === undefined ? undefined : 'us-east-1');
  const accessKeyId = config[S3UploaderKeys.ACCESS_KEY];
  const secretAccessKey = config[S3UploaderKeys.SECRET_KEY];
  const sessionToken = config[S3UploaderKeys.SESSION_TOKEN];
  const timeout = config[S3UploaderKeys.TIMEOUT_MS];
  const { S3Client } = (await loadS3Sdk()).client;
  return new S3Client({
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint }),
    forcePathStyle: config[S3UploaderKeys.PATH_STYLE],
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) } } : {}),
    maxAttempts: config[S3UploaderKeys.MAX_ATTEMPTS],
    requestHandler: { connectionTimeout: timeout, socketTimeout: timeout },
  });
}

const ACCESS_DENIED_NAMES = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);

/**
 * What an error from the S3 client means: S3 error names first (NoSuchBucket, AccessDenied, ...), then the HTTP
 * status S3 answered with, then network errors (refused, reset, timed out).
 */
export function s3FailureOf(error: unknown): TransferFailure {
  const name = error instanceof Error ? error.name : '';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket' || name === 'NoSuchKey' || name === 'NotFound' || status === 404) return 'not-found';
  if (ACCESS_DENIED_NAMES.has(name) || status === 401 || status === 403) return 'access-denied';
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'AbortError') return 'unreachable';
  const system = failureOfError(error);
  if (system) return system;
  if (status === 500 || status === 502 || status === 503 || status === 504) return status === 500 ? 'failed' : 'unreachable';
  return 'failed';
}

/** The `s3://bucket/key` URI of an object; key segments are percent-encoded so any key survives the round trip. */
export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The bucket and key of an `s3://bucket/key` URI; undefined when it is not one. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/?#]+)\/([^?#]+)$/i.exec(uri);
  if (!match) return undefined;
  try {
    return { bucket: match[1] as string, key: (match[2] as string).split('/').map(decodeURIComponent).join('/') };
  } catch {
    return undefined;
  }
}

/**
 * An error from the S3 client as a sentence: its S3 error name and message with the HTTP status. Answers to HEAD
 * have no body, so the SDK can only say `UnknownError` there; the status is what tells a 403 from a 404.
 */
export function describeS3Error(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === undefined) return error;
  const detail = error.message && error.message !== 'UnknownError' && error.message !== error.name ? `${error.name}: ${error.message}` : ['Error', 'UnknownError', 'Unknown'].includes(error.name) ? '' : error.name;
  return new Error(`HTTP ${status}${detail ? ` ${detail}` : ''}`, { cause: error });
}
