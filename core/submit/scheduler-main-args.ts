import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Printed with a command-line error. */
export const SCHEDULER_MAIN_USAGE = 'usage: egret-scheduler --package-uri URI --working-dir DIR';

/** The command line of `egret-scheduler`. */
export interface SchedulerMainArgs {
  /** Where the topology's package was uploaded: the config and manifest come from it. */
  readonly packageUri: string;
  /** Absolute: where the package is unpacked (`<dir>/package/`); the scheduler plugin may work there too. */
  readonly workingDir: string;
}

/** Parses the scheduler process's command line; throws an Error naming the bad or missing option. */
export function parseSchedulerMainArgs(argv: readonly string[]): SchedulerMainArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'package-uri': { type: 'string' }, 'working-dir': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const packageUri = values['package-uri'];
  const workingDir = values['working-dir'];
  if (!packageUri) throw new Error('--package-uri is required');
  if (!workingDir) throw new Error('--working-dir is required');
  return { packageUri, workingDir: resolve(workingDir) };
}
