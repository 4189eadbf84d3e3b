import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../../core/errors.js';
import { InstanceError } from './instance-error.js';

export const INSTANCE_USAGE =
  'usage: egret-instance --package-dir DIR --container C --task-id T --stmgr-endpoint ENDPOINT [--component NAME --component-index I]';

/** The command line of `egret-instance` (runtime/README.md). */
export interface InstanceArgs {
  /** Absolute. */
  readonly packageDir: string;
  readonly container: number;
  readonly taskId: number;
  /** `unix:/path` or `unix-abstract:name` (native/PROTOCOL.md §2.1). */
  readonly stmgrEndpoint: string;
  /**
   * The task's component and index, which the registration must name (PROTOCOL.md §2) and which the task id alone
   * does not give (the packing plan assigns task ids). Heron passes both; without them the instance registers with
   * an empty component and the stream manager may refuse it.
   */
  readonly component?: string;
  readonly componentIndex?: number;
}

/** Parses the instance's command line; throws INSTANCE_BAD_ARGUMENTS naming the bad or missing option. */
export function parseInstanceArgs(argv: readonly string[]): InstanceArgs {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        'package-dir': { type: 'string' },
        container: { type: 'string' },
        'task-id': { type: 'string' },
        'stmgr-endpoint': { type: 'string' },
        component: { type: 'string' },
        'component-index': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new InstanceError(`${messageOf(error)}\n${INSTANCE_USAGE}`, { code: 'INSTANCE_BAD_ARGUMENTS', cause: error });
  }
  for (const option of ['package-dir', 'container', 'task-id', 'stmgr-endpoint']) {
    if (!values[option]) throw new InstanceError(`--${option} is required\n${INSTANCE_USAGE}`, { code: 'INSTANCE_BAD_ARGUMENTS' });
  }
  if ((values['component'] === undefined) !== (values['component-index'] === undefined)) {
    throw new InstanceError(`--component and --component-index go together\n${INSTANCE_USAGE}`, { code: 'INSTANCE_BAD_ARGUMENTS' });
  }
  const componentIndex = values['component-index'] === undefined ? undefined : wholeNumber(values, 'component-index', 0);
  return {
    packageDir: resolve(values['package-dir'] as string),
    container: wholeNumber(values, 'container', 1),
    taskId: wholeNumber(values, 'task-id', 1),
    stmgrEndpoint: values['stmgr-endpoint'] as string,
    ...(values['component'] === undefined ? {} : { component: values['component'] }),
    ...(componentIndex === undefined ? {} : { componentIndex }),
  };
}

function wholeNumber(values: Record<string, string | undefined>, option: string, min: number): number {
  const text = values[option] as string;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > 2 ** 31 - 1) {
    throw new InstanceError(`--${option}: expected a whole number >= ${min}, got '${text}'`, { code: 'INSTANCE_BAD_ARGUMENTS' });
  }
  return value;
}
