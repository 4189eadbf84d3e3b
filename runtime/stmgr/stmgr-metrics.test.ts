import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataPathBackPressureStats, DataPathConnectionStats, DataPathStats } from '../../native/data-path-types.js';
import { StMgrMetrics } from './stmgr-metrics.js';

function connection(fields: Partial<DataPathConnectionStats> & Pick<DataPathConnectionStats, 'id' | 'kind'>): DataPathConnectionStats {
  return { tuplesIn: 0, tuplesOut: 0, bytesIn: 0, bytesOut: 0, batchesIn: 0, batchesOut: 0, controlTuplesIn: 0, controlTuplesOut: 0, queuedBytes: 0, framesDropped: 0, ...fields };
}

type BackPressureExtra = { dropped?: number; initiatedMs?: number; byTask3?: number; byPeer?: number } & Partial<Pick<DataPathBackPressureStats, 'announcing' | 'causes' | 'announcers' | 'spoutsPaused' | 'pausedByOthersMs'>>;

function stats(connections: DataPathConnectionStats[], extra: BackPressureExtra = {}): DataPathStats {
  return {
    connections,
    tuplesRouted: 0,
    tuplesDropped: { 'destination-unreachable': extra.dropped ?? 0, 'unknown-stream': 0 },
    backPressure: {
      causes: extra.causes ?? [],
      announcing: extra.announcing ?? false,
      announcers: extra.announcers ?? [],
      spoutsPaused: extra.spoutsPaused ?? false,
      initiatedMs: extra.initiatedMs ?? 0,
      initiatedMsBySource: [
        ...(extra.byTask3 === undefined ? [] : [{ kind: 'instance' as const, taskId: 3, ms: extra.byTask3 }]),
        ...(extra.byPeer === undefined ? [] : [{ kind: 'peer' as const, stmgrId: 'stmgr-2', ms: extra.byPeer }]),
      ],
      pausedByOthersMs: extra.pausedByOthersMs ?? 0,
    },
    acking: { enabled: false, pendingRoots: 0, rootsAcked: 0, rootsFailed: 0, rootsExpired: 0 },
  };
}

describe('StMgrMetrics', () => {
  const instanceIdOf = (taskId: number): string | undefined => (taskId === 3 ? 'container_1_counter_3' : undefined);

  it('names connections by their other end and publishes counters as increases since the previous collection', () => {
    const metrics = new StMgrMetrics(instanceIdOf);
    const first = metrics.collect(
      stats([
        connection({ id: 1, kind: 'instance', taskId: 3, tuplesIn: 10, bytesIn: 100, queuedBytes: 7 }),
        connection({ id: 2, kind: 'peer-in', stmgrId: 'stmgr-2', tuplesIn: 5, bytesIn: 50 }),
        connection({ id: 3, kind: 'peer-out', stmgrId: 'stmgr-2', tuplesOut: 4, bytesOut: 40, queuedBytes: 9 }),
        connection({ id: 4, kind: 'instance', taskId: 8, tuplesOut: 2 }),
        // Not registered yet: nothing to name it by.
        connection({ id: 5, kind: 'instance', tuplesIn: 1 }),
      ], { dropped: 3 }),
    );
    assert.equal(first.get('__connection-tuples-in/container_1_counter_3'), 10);
    assert.equal(first.get('__connection-bytes-in/container_1_counter_3'), 100);
    assert.equal(first.get('__connection-queued-bytes/container_1_counter_3'), 7);
    assert.equal(first.get('__connection-tuples-in/stmgr-2'), 5);
    assert.equal(first.get('__connection-tuples-out/stmgr-2'), 4, 'a peer’s two connections add up');
    assert.equal(first.get('__connection-queued-bytes/stmgr-2'), 9);
    assert.equal(first.get('__connection-tuples-out/8'), 2, 'a task without a known instance id goes by its task id');
    assert.equal(first.get('__tuples-dropped/destination-unreachable'), 3);
    assert.equal([...first.keys()].filter((k) => k.endsWith('/undefined')).length, 0);

    const second = metrics.collect(stats([connection({ id: 1, kind: 'instance', taskId: 3, tuplesIn: 25, bytesIn: 100 }), connection({ id: 6, kind: 'instance', taskId: 8, tuplesOut: 1 })], { dropped: 4 }));
    assert.equal(second.get('__connection-tuples-in/container_1_counter_3'), 15);
    assert.equal(second.get('__connection-bytes-in/container_1_counter_3'), 0);
    assert.equal(second.get('__connection-tuples-out/8'), 1, 'a new connection of the task counts from 0');
    assert.equal(second.get('__tuples-dropped/destination-unreachable'), 1);
    assert.equal(second.has('__connection-tuples-in/stmgr-2'), false, 'closed connections are gone');
  });

  it('publishes back-pressure time as milliseconds added, by instance and by peer, and the gauge', () => {
    const metrics = new StMgrMetrics(instanceIdOf);
    const first = metrics.collect(stats([], { initiatedMs: 300, byTask3: 200, byPeer: 150, announcing: true }));
    assert.equal(first.get('__time_spent_back_pressure_initiated'), 300);
    assert.equal(first.get('__time_spent_back_pressure_by_compid/container_1_counter_3'), 200);
    assert.equal(first.get('__time_spent_back_pressure_by_stmgr/stmgr-2'), 150);
    assert.equal(first.get('__back-pressure'), 1);
    const second = metrics.collect(stats([], { initiatedMs: 1000, byTask3: 900, byPeer: 150 }));
    assert.equal(second.get('__time_spent_back_pressure_initiated'), 700);
    assert.equal(second.get('__time_spent_back_pressure_by_compid/container_1_counter_3'), 700);
    assert.equal(second.get('__time_spent_back_pressure_by_stmgr/stmgr-2'), 0);
    assert.equal(second.get('__back-pressure'), 0);
  });

  it('publishes when each cause and each announcing peer started while it lasts, whether spouts are paused, and time paused by peers', () => {
    const metrics = new StMgrMetrics(instanceIdOf);
    const since = (m: Map<string, number>) => Object.fromEntries([...m].filter(([name]) => name.includes('-since/')));
    const first = metrics.collect(
      stats([], {
        announcing: true,
        causes: [
          { kind: 'instance', taskId: 3, connection: 1, since: 1_700_000_000_123, queuedBytes: 3 << 20 },
          { kind: 'instance', taskId: 8, connection: 4, since: 1_700_000_000_500, queuedBytes: 3 << 20 },
          { kind: 'peer', stmgrId: 'stmgr-2', connection: 2, since: 1_700_000_001_000, queuedBytes: 3 << 20 },
          // The same peer over a second connection: one cause, since the earlier.
          { kind: 'peer', stmgrId: 'stmgr-2', connection: 3, since: 1_700_000_000_900, queuedBytes: 3 << 20 },
        ],
        announcers: [{ stmgrId: 'stmgr-3', since: 1_700_000_000_050 }],
        spoutsPaused: true,
        pausedByOthersMs: 400,
      }),
    );
    assert.deepEqual(since(first), {
      '__back-pressure-since/container_1_counter_3': 1_700_000_000_123,
      '__back-pressure-since/8': 1_700_000_000_500,
      '__back-pressure-since/stmgr-2': 1_700_000_000_900,
      '__back-pressure-peer-since/stmgr-3': 1_700_000_000_050,
    });
    assert.equal(first.get('__spouts-paused'), 1);
    assert.equal(first.get('__time_spent_back_pressure_by_others'), 400);

    const second = metrics.collect(stats([], { causes: [{ kind: 'peer', stmgrId: 'stmgr-2', connection: 3, since: 1_700_000_000_900, queuedBytes: 1 }], announcing: true, pausedByOthersMs: 1000, spoutsPaused: true }));
    assert.deepEqual(since(second), { '__back-pressure-since/stmgr-2': 1_700_000_000_900 }, 'ended causes and peers are absent');
    assert.equal(second.get('__time_spent_back_pressure_by_others'), 600);

    const third = metrics.collect(stats([], { pausedByOthersMs: 1000 }));
    assert.deepEqual(since(third), {});
    assert.equal(third.get('__spouts-paused'), 0);
    assert.equal(third.get('__back-pressure'), 0);
    assert.equal(third.get('__time_spent_back_pressure_by_others'), 0);
  });

  it('publishes the restart count every time', () => {
    const metrics = new StMgrMetrics(instanceIdOf, 2);
    assert.equal(metrics.collect(stats([])).get('__restarts'), 2);
    assert.equal(metrics.collect(stats([])).get('__restarts'), 2);
    assert.equal(new StMgrMetrics(instanceIdOf).collect(stats([])).get('__restarts'), 0);
  });
});
