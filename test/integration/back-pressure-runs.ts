import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigValue } from '../../api/config-value.js';
import { REPO_ROOT } from '../helpers/run-egret.js';
import { TopologyHarness } from '../helpers/topology-harness.js';
import { residentBytes } from '../helpers/topology-metrics.js';
import { waitFor } from '../helpers/wait-for.js';
import { readTaskReports } from './reports.js';

const TOPOLOGY = join(REPO_ROOT, 'test', 'fixtures', 'topologies', 'back-pressure-topology.ts');
export const MiB = 1024 * 1024;
export const HIGH_WATER = 2 * MiB;
export const LOW_WATER = 1 * MiB;
/** Tuples per round: 60 MiB, far more than the queues hold below the high water mark. */
export const ROUND = 60_000;
export const TUPLE_BYTES = 1024;
/**
 * How much a stream manager may grow while the spout pushes a round at a bolt that cannot take it: the stalled
 * connection's queue (the high water mark, plus what was read when it was reached: a few 256 KiB batches), the open
 * batches' pool blocks, and slack for the Node process around the addon. Without back pressure (or dropping), the
 * 60 MiB that cannot be delivered would be queued there.
 */
export const GROWTH_BOUND = HIGH_WATER + 16 * MiB;

/** Where a component's only task runs. */
export interface Placement {
  readonly container: number;
  readonly instance: string;
}

/** A running back-pressure-topology.ts: the spout (`firehose`) and the slow bolt (`sink`) in different containers. */
export interface BackPressureRun {
  readonly harness: TopologyHarness;
  readonly spout: Placement;
  readonly sink: Placement;
}

/**
 * Starts back-pressure-topology.ts on two containers with low water marks (2 MiB / 1 MiB), metrics every 500 ms and
 * a bolt taking 20 ms per tuple, and waits until both tasks report.
 */
export async function startBackPressureRun(output: string, config: Readonly<Record<string, ConfigValue>> = {}): Promise<BackPressureRun> {
  const harness = await TopologyHarness.start({
    topologyFile: TOPOLOGY,
    containers: 2,
    config: {
      'test.output.dir': output,
      'test.tuple.bytes': TUPLE_BYTES,
      'test.slow.ms': 20,
      'egret.stmgr.backpressure.high.bytes': HIGH_WATER,
      'egret.stmgr.backpressure.low.bytes': LOW_WATER,
      'egret.metrics.interval.ms': 500,
      ...config,
    },
    deadlineMs: 60_000,
  });
  try {
    await harness.waitForPhysicalPlan();
    const where = (pattern: RegExp): Placement => {
      const container = harness.containers.find((c) => c > 0 && harness.processNames(c).some((n) => pattern.test(n)));
      assert.ok(container !== undefined, `a container runs ${pattern}`);
      return { container, instance: harness.processNames(container).find((n) => pattern.test(n)) as string };
    };
    const run = { harness, spout: where(/_firehose_\d+$/), sink: where(/_sink_\d+$/) };
    assert.notEqual(run.sink.container, run.spout.container, 'the spout and the bolt share a container: no peer would be involved');
    await harness.waitForProcesses();
    await waitFor('the spout and the bolt to report', () => readTaskReports(output, 'firehose').length > 0 && readTaskReports(output, 'sink').length > 0, 60_000, 100);
    return run;
  } catch (error) {
    await harness.stop().catch(() => undefined);
    throw error;
  }
}

/** Has the spout emit `total` tuples in all (the `go` file, replaced whole). */
export function emitUpTo(output: string, total: number): void {
  const go = join(output, 'go');
  writeFileSync(`${go}.tmp`, String(total));
  renameSync(`${go}.tmp`, go);
}

/** Lets the bolt take tuples as fast as it can. */
export function catchUp(output: string): void {
  writeFileSync(join(output, 'catch-up'), '');
}

export const emittedBySpout = (output: string): number => readTaskReports<{ emitted: number }>(output, 'firehose')[0]?.emitted ?? 0;
export const receivedBySink = (output: string): number => readTaskReports<{ received: number }>(output, 'sink')[0]?.received ?? 0;

/** A line of a stream manager's JSON log (runtime/stmgr/back-pressure-log.ts). */
export interface StMgrLogLine {
  readonly message?: string;
  /** `instance <instance id> (task <n>)` or `peer <stmgr id>`. */
  readonly cause?: string;
  /** The peer announcing, on a peer's lines. */
  readonly peer?: string;
  /** When the cause started, or the peer started announcing (ISO time). */
  readonly since?: string;
  readonly queuedBytes?: number;
  readonly reason?: string;
}

/** The lines of `stmgr-<container>`'s log whose message starts with `prefix`. */
export function stmgrLogged(harness: TopologyHarness, container: number, prefix: string): StMgrLogLine[] {
  return harness
    .readLog(`stmgr-${container}`)
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as StMgrLogLine];
      } catch {
        return [];
      }
    })
    .filter((l) => l.message?.startsWith(prefix));
}

/**
 * Checks that `sinceMs`, when the metrics say a cause or an announcing peer started, is within a second of the `since`
 * of one of `starts`, its start lines in the stream manager's log. Back pressure may have started more than once
 * (the hysteresis), and the metrics lag the log by an interval or two, so the one they show need not be the last.
 */
export function assertSinceLogged(sinceMs: number | undefined, starts: readonly StMgrLogLine[], what: string): void {
  const off = Math.min(...starts.map((l) => Math.abs(Date.parse(l.since ?? '') - (sinceMs ?? Number.NaN))));
  const shown = sinceMs === undefined ? 'nothing' : new Date(sinceMs).toISOString();
  assert.ok(off <= 1000, `${what} shows since ${shown}; the log's starts: ${starts.map((l) => l.since).join(', ') || 'none'}`);
}

/**
 * Checks the hysteresis in `stmgr-<container>`'s log: every start of back pressure came with its cause's queue at the
 * high water mark or over, every stop with it at the low one or under, and none for a closed connection.
 */
export function assertWaterMarks(harness: TopologyHarness, container: number): void {
  for (const start of stmgrLogged(harness, container, 'back pressure started')) {
    assert.ok((start.queuedBytes ?? 0) >= HIGH_WATER, `stmgr-${container} started back pressure with ${start.queuedBytes} bytes queued, under ${HIGH_WATER}`);
  }
  for (const stop of stmgrLogged(harness, container, 'back pressure stopped')) {
    assert.ok((stop.queuedBytes ?? Infinity) <= LOW_WATER, `stmgr-${container} stopped back pressure with ${stop.queuedBytes} bytes queued, over ${LOW_WATER}`);
    assert.equal(stop.reason, undefined, `stmgr-${container} stopped back pressure for a reason`);
  }
}

/** Whether `stmgr-<container>` has started back pressure and stopped it as often: it is not announcing. */
export function backPressureOver(harness: TopologyHarness, container: number): boolean {
  const stops = stmgrLogged(harness, container, 'back pressure stopped').length;
  return stops > 0 && stops === stmgrLogged(harness, container, 'back pressure started').length;
}

/** Samples the resident set of process `pid` every 50 ms until `stop`, which returns how much it grew. */
export function watchMemory(pid: number): { readonly baseline: number; stop(): number } {
  const baseline = residentBytes(pid);
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 50);
  return {
    baseline,
    stop: () => {
      clearInterval(timer);
      return peak - baseline;
    },
  };
}
