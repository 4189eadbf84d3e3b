import { z } from 'zod';

/** The config keys of the localfs uploader. */
export const LocalFsUploaderKeys = {
  /** The directory of one topology's package; variables are filled in per topology. */
  DIRECTORY: 'egret.uploader.localfs.directory',
} as const;

/** Where packages go by default: a directory per cluster, role and topology under the submitter's home. */
export const LOCALFS_DEFAULT_DIRECTORY = '${HOME}/.egret/packages/${CLUSTER}/${ROLE}/${TOPOLOGY}';

const DIRECTORY_EXPECTATION = 'expected a directory path';

/** The keys the localfs uploader reads from the cluster config. */
export const localFsUploaderConfigSchema = z.object({
  [LocalFsUploaderKeys.DIRECTORY]: z.string({ error: DIRECTORY_EXPECTATION }).min(1, { error: DIRECTORY_EXPECTATION }).default(LOCALFS_DEFAULT_DIRECTORY),
});

/** DI token of the validated {@link LocalFsUploaderConfig}. */
export const LocalFsUploaderConfig: unique symbol = Symbol.for('egret.uploader.localfs.config');

/** The localfs uploader's validated config. */
export type LocalFsUploaderConfig = z.infer<typeof localFsUploaderConfigSchema>;
