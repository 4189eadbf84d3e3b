import { z } from 'zod';

/** Where a topology's processes work when the cluster config does not say (Heron: `~/.herondata/topologies/...`). */
export const DEFAULT_LOCAL_WORKING_DIRECTORY = '${HOME}/.egret/topologies/${CLUSTER}/${ROLE}/${TOPOLOGY}';

const ms = (expected: string, min: number, fallback: number) =>
  z.number({ error: `expected ${expected}` }).int({ error: `expected whole milliseconds` }).min(min, { error: `expected ${expected}` }).max(3_600_000, { error: `expected ${expected}` }).default(fallback);

const MIN_KEY = 'egret.scheduler.local.restart.backoff.min.ms';
const MAX_KEY = 'egret.scheduler.local.restart.backoff.max.ms';

/**
 * The keys of the local scheduler and of its launcher (`egret.scheduler: local`; `egret.launcher` defaults to it).
 * Both plugins read the same keys, all under `egret.scheduler.local.`, so the launcher starts the scheduler process
 * in the directory the scheduler then works in.
 */
export const localSchedulerConfigSchema = z
  .object({
    /** The topology's directory: the scheduler's log and package, `pids/`, `logs/`, one `container-<c>/` per executor. */
    'egret.scheduler.local.working.directory': z.string({ error: 'expected a directory path' }).min(1, { error: 'expected a directory path' }).default(DEFAULT_LOCAL_WORKING_DIRECTORY),
    /**
     * How long an executor gets between SIGTERM and SIGKILL on kill, restart and removal: more than the executor's own
     * grace for its children (10 s), so that a well-behaved executor always stops them itself.
     */
    'egret.scheduler.local.kill.grace.ms': ms('milliseconds >= 0', 0, 15_000),
    /** The first delay before restarting an executor that died, doubling with each quick death. */
    [MIN_KEY]: ms('milliseconds >= 1', 1, 100),
    /** The longest delay before restarting an executor; a run this long counts as healthy again. */
    [MAX_KEY]: ms('milliseconds >= 1', 1, 10_000),
    /** How long the launcher waits for the scheduler process to write its location. */
    'egret.scheduler.local.launch.timeout.ms': ms('milliseconds >= 1', 1, 30_000),
  })
  .superRefine((values, context) => {
    if (values[MAX_KEY] < values[MIN_KEY]) {
      context.addIssue({ code: 'custom', path: [MAX_KEY], message: `expected at least ${MIN_KEY} (${values[MIN_KEY]})` });
    }
  });

/** DI token of the validated {@link LocalSchedulerConfig}, shared by the local scheduler and the local launcher. */
export const LocalSchedulerConfig: unique symbol = Symbol.for('egret.scheduler.local.config');

/** The local scheduler's and launcher's validated config. */
export type LocalSchedulerConfig = z.infer<typeof localSchedulerConfigSchema>;
