import { installedEntryPoint } from '../../core/submit/installed-entry-point.js';

/** A program and the arguments that come before the ones the local scheduler or launcher adds. */
export interface LocalCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * DI token of the command that starts an executor (`egret-executor`); the scheduler appends `--package-uri URI
 * --container C --working-dir DIR`. The module binds the installed entry point unless the host bound another (tests
 * bind dummy executors).
 */
export const LocalExecutorCommand: unique symbol = Symbol.for('egret.scheduler.local.ExecutorCommand');

/**
 * DI token of the command that starts the scheduler process (`egret-scheduler`); the launcher appends
 * `--package-uri URI --working-dir DIR`. Bound like {@link LocalExecutorCommand}.
 */
export const LocalSchedulerCommand: unique symbol = Symbol.for('egret.scheduler.local.SchedulerCommand');

/**
 * An entry point of this installation, run with the Node that runs this process (its bundle unless
 * EGRET_UNBUNDLED is set: core/submit/installed-entry-point.ts). A plugin never imports bin/, it only starts what
 * is installed there.
 */
export { installedEntryPoint };
