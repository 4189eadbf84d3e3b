import { z } from 'zod';

/** The config keys of the hdfs uploader; the connection keys are read by the webhdfs downloader too. */
export const HdfsUploaderKeys = {
  /** The namenode's WebHDFS HTTP address: `http://nn:9870` (also `https://`, `webhdfs://`, `swebhdfs://`). */
  NAMENODE_URI: 'egret.uploader.hdfs.namenode.uri',
  /** The HDFS directory of one topology's package; variables are filled in per topology. */
  DIRECTORY: 'egret.uploader.hdfs.directory',
  /** The `user.name` of simple authentication; the submitting user when unset. */
  USER: 'egret.uploader.hdfs.user',
  /** A delegation token, sent as `delegation=` instead of `user.name` (a secured cluster without Kerberos here). */
  DELEGATION_TOKEN: 'egret.uploader.hdfs.delegation.token',
  /** How long a namenode or datanode may stay silent before a request fails. */
  TIMEOUT_MS: 'egret.uploader.hdfs.timeout.ms',
} as const;

/** Where packages go by default. */
export const HDFS_DEFAULT_DIRECTORY = '/egret/packages/${CLUSTER}/${ROLE}/${TOPOLOGY}';

const NAMENODE_EXPECTATION = 'expected the namenode WebHDFS address, such as http://namenode:9870';

/** `webhdfs://` and `swebhdfs://` are Hadoop's names for the same HTTP endpoints. */
const namenodeUriSchema = z.string({ error: NAMENODE_EXPECTATION }).refine((value) => /^(https?|s?webhdfs):\/\/[^/?#]+\/?$/i.test(value), { error: NAMENODE_EXPECTATION });

const optionalText = (expectation: string) => z.string({ error: expectation }).min(1, { error: expectation }).optional();

/** The keys that say how to reach WebHDFS: shared by the uploader and the webhdfs downloader. */
export const webHdfsConnectionConfigShape = {
  [HdfsUploaderKeys.USER]: optionalText('expected an HDFS user name'),
  [HdfsUploaderKeys.DELEGATION_TOKEN]: optionalText('expected a delegation token'),
  [HdfsUploaderKeys.TIMEOUT_MS]: z.number({ error: 'expected a whole number of milliseconds > 0' }).int().positive().default(30_000),
};

/** The connection keys alone, with the namenode optional (a `webhdfs://` URI names its own). */
export const webHdfsConnectionConfigSchema = z.object({ [HdfsUploaderKeys.NAMENODE_URI]: namenodeUriSchema.optional(), ...webHdfsConnectionConfigShape });

/** The keys the hdfs uploader reads from the cluster config. */
export const hdfsUploaderConfigSchema = z.object({
  [HdfsUploaderKeys.NAMENODE_URI]: namenodeUriSchema,
  [HdfsUploaderKeys.DIRECTORY]: z.string({ error: 'expected an absolute HDFS path' }).startsWith('/', { error: 'expected an absolute HDFS path' }).default(HDFS_DEFAULT_DIRECTORY),
  ...webHdfsConnectionConfigShape,
});

/** DI token of the validated {@link HdfsUploaderConfig}. */
export const HdfsUploaderConfig: unique symbol = Symbol.for('egret.uploader.hdfs.config');

/** The hdfs uploader's validated config. */
export type HdfsUploaderConfig = z.infer<typeof hdfsUploaderConfigSchema>;

/** The validated connection keys. */
export type WebHdfsConnectionConfig = z.infer<typeof webHdfsConnectionConfigSchema>;
