import type { Logger } from 'winston';
import type { DataPathBackPressureSource, DataPathEvent } from '../../native/data-path-types.js';

type BackPressureEvent = Extract<DataPathEvent, { type: 'back-pressure' | 'peer-back-pressure' }>;

/** A cause as an operator reads it: `instance container_1_count_3 (task 3)` or `peer stmgr-2`. */
export function describeSource(source: DataPathBackPressureSource, instanceIdOf: (taskId: number) => string | undefined): string {
  if (source.kind === 'peer') return `peer ${source.stmgrId}`;
  const instanceId = source.taskId === undefined ? undefined : instanceIdOf(source.taskId);
  return instanceId === undefined ? `instance task ${String(source.taskId)}` : `instance ${instanceId} (task ${source.taskId})`;
}

/**
 * Logs a back-pressure event of the data path (native/PROTOCOL.md §8) with what caused it and since when: a start
 * at warn (spouts stop), a stop at info with how long it lasted.
 */
export function logBackPressure(logger: Logger, event: BackPressureEvent, instanceIdOf: (taskId: number) => string | undefined): void {
  if (event.type === 'back-pressure') {
    const { cause } = event;
    const fields = {
      cause: describeSource(cause, instanceIdOf),
      connection: cause.connection,
      since: new Date(cause.since).toISOString(),
      queuedBytes: cause.queuedBytes,
    };
    if (event.change === 'start') logger.warn('back pressure started: a queue passed the high water mark; local spouts paused and peers told', fields);
    else logger.info('back pressure stopped: the queue fell to the low water mark', { ...fields, durationMs: event.durationMs, ...(event.reason ? { reason: event.reason } : {}) });
    return;
  }
  const fields = { peer: event.stmgrId, connection: event.connection, since: new Date(event.since).toISOString() };
  if (event.change === 'start') logger.warn('a peer announced back pressure; local spouts paused', { ...fields, messageId: event.detail });
  else logger.info('a peer stopped announcing back pressure', { ...fields, durationMs: event.durationMs, detail: event.detail });
}
