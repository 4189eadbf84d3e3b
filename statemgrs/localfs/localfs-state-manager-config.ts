import { z } from 'zod';

/** Where the tree lives when the cluster config does not say: one directory per cluster under the user's home. */
export const DEFAULT_LOCALFS_STATE_ROOT = '${HOME}/.egret/state/${CLUSTER}';

/** The keys of the localfs state manager (`egret.statemgr: localfs`). */
export const localFsStateManagerConfigSchema = z.object({
  /** The directory holding the state tree; `${HOME}` and `${CLUSTER}` are substituted before the plugin sees it. */
  'egret.statemgr.localfs.root': z.string({ error: 'expected a directory path' }).min(1, { error: 'expected a directory path' }).default(DEFAULT_LOCALFS_STATE_ROOT),
  /**
   * How often a watch re-reads its node besides the file-system notifications: it catches what inotify cannot
   * report (the death of an ephemeral node's owner, a file system without notifications).
   */
  'egret.statemgr.localfs.poll.interval.ms': z.number({ error: 'expected milliseconds' }).int({ error: 'expected whole milliseconds' }).min(10).max(600_000).default(1000),
});

/** DI token of the validated {@link LocalFsStateManagerConfig}. */
export const LocalFsStateManagerConfig: unique symbol = Symbol.for('egret.statemgr.localfs.config');

/** The localfs state manager's validated config. */
export type LocalFsStateManagerConfig = z.infer<typeof localFsStateManagerConfigSchema>;
