import { fileURLToPath } from 'node:url';

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
 * An entry point of this installation, run with the Node that runs this process. The path is resolved from this
 * file's place in dist/ rather than imported: a plugin never imports bin/, it only starts what is installed there.
 */
export function installedEntryPoint(name: 'egret-executor' | 'egret-scheduler'): LocalCommand {
  return { command: process.execPath, args: ['--enable-source-maps', fileURLToPath(new URL(`../../bin/${name}.js`, import.meta.url))] };
}
