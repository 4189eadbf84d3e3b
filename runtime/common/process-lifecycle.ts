import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import { onExecutorGone } from './executor-channel.js';

/** Why a runtime process stops, and the exit code that goes with it. */
export interface StopRequest {
  readonly reason: string;
  readonly exitCode: number;
}

/**
 * Resolves when the process is asked to stop: SIGTERM or SIGINT (exit 0), the executor's IPC channel closing
 * (exit 0: the executor is gone, and no child may outlive it), or `fatal` (exit 1, for its supervisor to restart).
 */
export function stopRequested(logger: Logger): { readonly stopped: Promise<StopRequest>; fatal(reason: string): void } {
  let settle: (request: StopRequest) => void = () => undefined;
  const stopped = new Promise<StopRequest>((resolve) => {
    settle = resolve;
  });
  process.once('SIGTERM', () => settle({ reason: 'SIGTERM', exitCode: 0 }));
  process.once('SIGINT', () => settle({ reason: 'SIGINT', exitCode: 0 }));
  onExecutorGone(() => settle({ reason: 'the executor’s IPC channel closed', exitCode: 0 }));
  return {
    stopped,
    fatal: (reason) => {
      logger.error('stopping', { reason });
      settle({ reason, exitCode: 1 });
    },
  };
}

/**
 * Runs the cleanup steps in order, each failure logged and the rest still run, then exits. A step that hangs
 * (a state manager that cannot reach its server) does not keep the process alive past `graceMs`.
 */
export async function shutDown(logger: Logger, request: StopRequest, steps: ReadonlyArray<readonly [string, () => Promise<void>]>, graceMs = 5000): Promise<never> {
  logger.info('shutting down', { reason: request.reason });
  setTimeout(() => {
    logger.error('shutdown took too long; exiting anyway', { graceMs });
    process.exit(request.exitCode === 0 ? 1 : request.exitCode);
  }, graceMs).unref();
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (error) {
      logger.warn(`${what} failed during shutdown`, { error: messageOf(error) });
    }
  }
  process.exit(request.exitCode);
}
