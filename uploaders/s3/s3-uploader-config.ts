import { z } from 'zod';
import { MiB } from '../../api/byte-amount.js';
import { byteAmountSchema } from '../../core/config/config-schema.js';

/** The config keys of the s3 uploader; the client keys are read by the s3 downloader too. */
export const S3UploaderKeys = {
  BUCKET: 'egret.uploader.s3.bucket',
  /** The key prefix of one topology's package; variables are filled in per topology. */
  PREFIX: 'egret.uploader.s3.prefix',
  REGION: 'egret.uploader.s3.region',
  /** An S3-compatible endpoint instead of AWS's. */
  ENDPOINT: 'egret.uploader.s3.endpoint',
  PATH_STYLE: 'egret.uploader.s3.path.style',
  ACCESS_KEY: 'egret.uploader.s3.access.key',
  SECRET_KEY: 'egret.uploader.s3.secret.key',
  SESSION_TOKEN: 'egret.uploader.s3.session.token',
  /** How long S3 may stay silent (connecting, between chunks) before a request fails. */
  TIMEOUT_MS: 'egret.uploader.s3.timeout.ms',
  MAX_ATTEMPTS: 'egret.uploader.s3.max.attempts',
  /** Return a presigned HTTPS GET URL, for containers that hold no AWS credentials. */
  PRESIGN: 'egret.uploader.s3.presign',
  PRESIGN_TTL_SECS: 'egret.uploader.s3.presign.ttl.secs',
  /** Packages larger than one part go up in parts of this size. */
  PART_SIZE: 'egret.uploader.s3.multipart.part.size',
} as const;

/** The default key prefix: one per cluster, role and topology. */
export const S3_DEFAULT_PREFIX = 'egret/packages/${CLUSTER}/${ROLE}/${TOPOLOGY}';

/** S3's smallest part but the last; and AWS's longest presigned URL life (SigV4, 7 days). */
const MIN_PART_SIZE = 5 * MiB;
const MAX_PRESIGN_TTL_SECS = 7 * 24 * 3600;

const optionalText = (expectation: string) => z.string({ error: expectation }).min(1, { error: expectation }).optional();
const positiveInt = (expectation: string) => z.number({ error: expectation }).int({ error: expectation }).positive({ error: expectation });

/** The keys that say how to reach S3: shared by the uploader and the s3 downloader. */
export const s3ClientConfigShape = {
  [S3UploaderKeys.REGION]: optionalText('expected an AWS region such as us-east-1'),
  [S3UploaderKeys.ENDPOINT]: z.url({ error: 'expected an http(s) URL such as http://127.0.0.1:9000' }).optional(),
  [S3UploaderKeys.PATH_STYLE]: z.boolean({ error: 'expected true or false' }).default(false),
  [S3UploaderKeys.ACCESS_KEY]: optionalText('expected an access key id'),
  [S3UploaderKeys.SECRET_KEY]: optionalText('expected a secret access key'),
  [S3UploaderKeys.SESSION_TOKEN]: optionalText('expected a session token'),
  [S3UploaderKeys.TIMEOUT_MS]: positiveInt('expected a whole number of milliseconds > 0').default(30_000),
  [S3UploaderKeys.MAX_ATTEMPTS]: positiveInt('expected a whole number of attempts >= 1').default(3),
};

/** The s3 client keys alone, with the both-or-neither rule on the key pair. */
export const s3ClientConfigSchema = z.object(s3ClientConfigShape).superRefine(checkKeyPair);

/** The keys the s3 uploader reads from the cluster config. */
export const s3UploaderConfigSchema = z
  .object({
    [S3UploaderKeys.BUCKET]: z.string({ error: 'expected a bucket name' }).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'expected a bucket name (3-63 lower-case letters, digits, dots, dashes)' }),
    [S3UploaderKeys.PREFIX]: z.string({ error: 'expected a key prefix' }).default(S3_DEFAULT_PREFIX),
    [S3UploaderKeys.PRESIGN]: z.boolean({ error: 'expected true or false' }).default(false),
    [S3UploaderKeys.PRESIGN_TTL_SECS]: positiveInt('expected a whole number of seconds from 1 to 604800 (7 days)')
      .max(MAX_PRESIGN_TTL_SECS, { error: 'expected a whole number of seconds from 1 to 604800 (7 days)' })
      .default(MAX_PRESIGN_TTL_SECS),
    [S3UploaderKeys.PART_SIZE]: byteAmountSchema.refine((bytes) => bytes >= MIN_PART_SIZE, { error: 'expected a part size of at least 5MiB' }).default(8 * MiB),
    ...s3ClientConfigShape,
  })
  .superRefine(checkKeyPair);

/** DI token of the validated {@link S3UploaderConfig}. */
export const S3UploaderConfig: unique symbol = Symbol.for('egret.uploader.s3.config');

/** The s3 uploader's validated config. */
export type S3UploaderConfig = z.infer<typeof s3UploaderConfigSchema>;

/** The validated client keys. */
export type S3ClientConfig = z.infer<typeof s3ClientConfigSchema>;

/** An access key without its secret (or the reverse) is a mistake, not a request for the SDK's default chain. */
function checkKeyPair(config: Partial<Record<string, unknown>>, ctx: z.RefinementCtx): void {
  const access = config[S3UploaderKeys.ACCESS_KEY] !== undefined;
  const secret = config[S3UploaderKeys.SECRET_KEY] !== undefined;
  if (access !== secret) {
    const missing = access ? S3UploaderKeys.SECRET_KEY : S3UploaderKeys.ACCESS_KEY;
    const present = access ? S3UploaderKeys.ACCESS_KEY : S3UploaderKeys.SECRET_KEY;
    ctx.addIssue({ code: 'custom', path: [missing], message: `expected a value, since ${present} is set (set both, or neither to use the AWS SDK's credential chain)` });
  }
}
