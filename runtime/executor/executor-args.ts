import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../../core/errors.js';
import { ExecutorError } from './executor-error.js';

/** Printed with a command-line error. */
export const EXECUTOR_USAGE = 'usage: egret-executor --package-uri URI --container C --working-dir DIR';

/** The command line of `egret-executor` (runtime/README.md). */
export interface ExecutorArgs {
  readonly packageUri: string;
  readonly container: number;
  /** Absolute. */
  readonly workingDir: string;
}

/** Parses the executor's command line; throws EXECUTOR_USAGE naming the bad or missing option. */
export function parseExecutorArgs(argv: readonly string[]): ExecutorArgs {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: { 'package-uri': { type: 'string' }, container: { type: 'string' }, 'working-dir': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new ExecutorError(messageOf(error), { code: 'EXECUTOR_USAGE', cause: error });
  }
  for (const option of ['package-uri', 'container', 'working-dir']) {
    if (!values[option]) throw new ExecutorError(`--${option} is required`, { code: 'EXECUTOR_USAGE' });
  }
  const container = Number(values['container']);
  if (!/^\d+$/.test(values['container'] as string) || !Number.isSafeInteger(container)) {
    throw new ExecutorError(`--container: expected a container id (0, 1, 2, ...), got '${values['container']}'`, { code: 'EXECUTOR_USAGE' });
  }
  return { packageUri: values['package-uri'] as string, container, workingDir: resolve(values['working-dir'] as string) };
}
