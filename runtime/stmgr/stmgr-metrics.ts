import type { DataPathBackPressureSource, DataPathBackPressureStats, DataPathConnectionStats, DataPathStats } from '../../native/data-path-types.js';

/** Heron's component name for stream managers in metrics (native/PROTOCOL.md §9). */
export const STMGR_METRICS_COMPONENT = '__stmgr__';

type Counters = Pick<DataPathConnectionStats, 'tuplesIn' | 'tuplesOut' | 'bytesIn' | 'bytesOut'>;

const COUNTERS: ReadonlyArray<readonly [keyof Counters, string]> = [
  ['tuplesIn', '__connection-tuples-in'],
  ['tuplesOut', '__connection-tuples-out'],
  ['bytesIn', '__connection-bytes-in'],
  ['bytesOut', '__connection-bytes-out'],
];

/**
 * Turns the data path's running totals into the stream manager's metrics of native/PROTOCOL.md §9, each counter as
 * its increase since the previous {@link collect}: per connection, named by what is at its other end (the
 * instance id of a local task, a peer's stream manager id; a peer's two connections add up), tuples and bytes in and
 * out and the bytes queued now; tuples dropped by reason; milliseconds spent initiating back pressure, in total, by
 * instance (`__time_spent_back_pressure_by_compid/<instance id>`) and by peer
 * (`__time_spent_back_pressure_by_stmgr/<stmgr id>`), and paused by peers (`__time_spent_back_pressure_by_others`:
 * while at least one announces); `__back-pressure`, 1 while this stream manager announces; `__spouts-paused`, 1 while
 * its local spouts are not read (it announces, or a peer does); while a connection is a cause, when it became one
 * (`__back-pressure-since/<instance or stmgr id>`, ms since the epoch), and while a peer announces, since when
 * (`__back-pressure-peer-since/<stmgr id>`): transient gauges (runtime/metrics/metric-names.ts), absent once over;
 * and `__restarts`, how many times the executor restarted this stream manager, every time (a restarted process is a
 * new publisher under the same id, and the metrics manager keeps the largest count seen).
 * What a connection counted between the last collection and its closing is lost (it is gone from the next stats).
 */
export class StMgrMetrics {
  private readonly lastByConnection = new Map<number, Counters>();
  private lastDropped: Readonly<Record<string, number>> = {};
  private lastInitiatedMs = 0;
  private lastPausedByOthersMs = 0;
  private readonly lastBySource = new Map<string, number>();

  /** `instanceIdOf` names a local task's instance (undefined: its task id is used); `restarts` is EGRET_RESTART_COUNT. */
  constructor(
    private readonly instanceIdOf: (taskId: number) => string | undefined,
    private readonly restarts = 0,
  ) {}

  collect(stats: DataPathStats): Map<string, number> {
    const metrics = new Map<string, number>();
    const add = (name: string, value: number): void => {
      metrics.set(name, (metrics.get(name) ?? 0) + value);
    };
    const seen = new Set<number>();
    for (const connection of stats.connections) {
      const id = this.nameOf(connection);
      if (id === undefined) continue;
      seen.add(connection.id);
      const last = this.lastByConnection.get(connection.id);
      for (const [field, name] of COUNTERS) add(`${name}/${id}`, connection[field] - (last?.[field] ?? 0));
      add(`__connection-queued-bytes/${id}`, connection.queuedBytes);
      this.lastByConnection.set(connection.id, { tuplesIn: connection.tuplesIn, tuplesOut: connection.tuplesOut, bytesIn: connection.bytesIn, bytesOut: connection.bytesOut });
    }
    for (const id of this.lastByConnection.keys()) if (!seen.has(id)) this.lastByConnection.delete(id);
    for (const [reason, count] of Object.entries(stats.tuplesDropped)) add(`__tuples-dropped/${reason}`, count - (this.lastDropped[reason] ?? 0));
    this.lastDropped = { ...stats.tuplesDropped };

    this.collectBackPressure(stats.backPressure, add, metrics);
    metrics.set('__restarts', this.restarts);
    return metrics;
  }

  private collectBackPressure(backPressure: DataPathBackPressureStats, add: (name: string, value: number) => void, metrics: Map<string, number>): void {
    add('__time_spent_back_pressure_initiated', backPressure.initiatedMs - this.lastInitiatedMs);
    this.lastInitiatedMs = backPressure.initiatedMs;
    add('__time_spent_back_pressure_by_others', backPressure.pausedByOthersMs - this.lastPausedByOthersMs);
    this.lastPausedByOthersMs = backPressure.pausedByOthersMs;
    for (const source of backPressure.initiatedMsBySource) {
      const name = `${source.kind === 'instance' ? '__time_spent_back_pressure_by_compid' : '__time_spent_back_pressure_by_stmgr'}/${this.sourceName(source)}`;
      add(name, source.ms - (this.lastBySource.get(name) ?? 0));
      this.lastBySource.set(name, source.ms);
    }
    // Two connections of one name (a reconnection) are one cause, there since the earlier.
    const since = (name: string, ms: number) => metrics.set(name, Math.min(metrics.get(name) ?? ms, ms));
    for (const cause of backPressure.causes) since(`__back-pressure-since/${this.sourceName(cause)}`, cause.since);
    for (const peer of backPressure.announcers) since(`__back-pressure-peer-since/${peer.stmgrId}`, peer.since);
    metrics.set('__back-pressure', backPressure.announcing ? 1 : 0);
    metrics.set('__spouts-paused', backPressure.spoutsPaused ? 1 : 0);
  }

  /** A cause by what is at the other end of its connection: the instance id (else the task id) or the peer's id. */
  private sourceName(source: DataPathBackPressureSource): string {
    return source.kind === 'instance' ? this.taskName(source.taskId) : source.stmgrId;
  }

  private taskName(taskId: number): string {
    return this.instanceIdOf(taskId) ?? String(taskId);
  }

  private nameOf(connection: DataPathConnectionStats): string | undefined {
    if (connection.kind === 'instance') return connection.taskId === undefined ? undefined : this.taskName(connection.taskId);
    return connection.stmgrId;
  }
}
