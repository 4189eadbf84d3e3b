import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { StMgrMetricsView } from '../../runtime/tmanager/metrics-view.js';
import { tempDir } from '../helpers/temp-dir.js';
import { scrapePrometheus, sumOfSamples, tmanagerMetrics } from '../helpers/topology-metrics.js';
import { waitFor } from '../helpers/wait-for.js';
import type { PrometheusScrape } from '../metricsmgr/prometheus-text.js';
import { SUITE_TIMEOUT_MS } from './acking-runs.js';
import {
  assertSinceLogged,
  assertWaterMarks,
  backPressureOver,
  type BackPressureRun,
  catchUp,
  emittedBySpout,
  emitUpTo,
  GROWTH_BOUND,
  HIGH_WATER,
  MiB,
  receivedBySink,
  ROUND,
  startBackPressureRun,
  stmgrLogged,
  TUPLE_BYTES,
  watchMemory,
} from './back-pressure-runs.js';

/** The spout counts as paused once it has emitted nothing for this long. */
const PAUSE_MS = 1500;
/**
 * What a frozen peer's socket soaks up before the spout's stream manager sees its queue grow: this machine's largest
 * TCP receive and send buffers (autotuned, up to 32 MiB on some kernels), then the high water mark, and slack for
 * the spout's own buffers. The second round pushes a full round more than that, so a spout that is never paused
 * still shows.
 */
const PEER_SOAK_TUPLES = Math.ceil((tcpBufferMax('tcp_rmem') + tcpBufferMax('tcp_wmem') + HIGH_WATER + 4 * MiB) / TUPLE_BYTES);

function tcpBufferMax(name: string): number {
  return Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim().split(/\s+/)[2]);
}

/**
 * Back pressure end to end, on two containers: the spout in one, in the other a bolt that takes 20 ms per tuple.
 * The bolt's stream manager starts back pressure naming the bolt's instance, the spout's stream manager hears of it
 * and pauses the spout, the stream manager's resident set stays within a stated bound, and the metrics (the topology
 * manager's cache and the Prometheus endpoint) name the instance as the active cause, since when its log says; once
 * the bolt catches up, back pressure stops, the active cause leaves the metrics, and every tuple arrives. Then the
 * bolt's stream manager is frozen (SIGSTOP): the spout's stream manager names that peer as the (active) cause,
 * pauses the spout, stays bounded, and resumes when the peer does (SIGCONT).
 */
describe('back pressure from a slow bolt, end to end', { timeout: SUITE_TIMEOUT_MS }, () => {
  const output = tempDir();
  let run: BackPressureRun;
  const emitted = (): number => emittedBySpout(output);
  const logged = (container: number, prefix: string) => stmgrLogged(run.harness, container, prefix);
  /** `stmgr-<container>` in the topology manager's cache (`announcing`: its `backPressure`). */
  const stmgrViewOf = async (container: number): Promise<(StMgrMetricsView & { announcing: boolean }) | undefined> => {
    const view = (await tmanagerMetrics(run.harness)).stmgrs[`stmgr-${container}`];
    return view && { ...view, announcing: view.backPressure };
  };
  /** The Prometheus series of `stmgr-<container>`'s active causes: cause → since, in ms. */
  const activeScraped = (scrape: PrometheusScrape, container: number): Record<string, number> =>
    Object.fromEntries(
      scrape.samples.filter((s) => s.name === 'egret_stmgr_back_pressure_cause_since_seconds' && s.labels['stmgr'] === `stmgr-${container}`).map((s) => [s.labels['cause'], s.value * 1000]),
    );
  /** The 'back pressure started' lines of `stmgr-<container>` for `cause` (as the log describes it: `peer stmgr-2`...). */
  const startsOf = (container: number, cause: RegExp) => logged(container, 'back pressure started').filter((l) => cause.test(l.cause ?? ''));

  /** Waits until the spout has emitted nothing for {@link PAUSE_MS}; returns how many it had emitted. */
  async function spoutPaused(): Promise<number> {
    let last = emitted();
    let since = Date.now();
    await waitFor(
      'the spout to stop emitting',
      () => {
        const now = emitted();
        if (now !== last) [last, since] = [now, Date.now()];
        return Date.now() - since >= PAUSE_MS;
      },
      30_000,
      50,
    );
    return last;
  }

  before(async () => {
    run = await startBackPressureRun(output);
  });

  after(async () => {
    await run?.harness.stop();
  });

  it('engages: the bolt’s queue starts it, the spout pauses, memory stays bounded, the metrics name the bolt', async (t) => {
    const { harness, sink, spout } = run;
    const memory = watchMemory(await harness.waitForProcess(`stmgr-${sink.container}`));
    let growth: number;
    let paused: number;
    try {
      emitUpTo(output, ROUND);
      const [started] = await waitFor('back pressure to start', () => logged(sink.container, 'back pressure started').length > 0 && logged(sink.container, 'back pressure started'), 30_000, 50);
      assert.match(started?.cause ?? '', new RegExp(`^instance ${sink.instance} `));
      await waitFor('the spout’s stream manager to hear of it', () => logged(spout.container, 'a peer announced back pressure').length > 0, 30_000, 50);
      paused = await spoutPaused();
      assert.ok(paused < ROUND / 2, `the spout emitted ${paused} of ${ROUND} tuples before pausing`);
      // The slow bolt still frees an inbound buffer now and then, and its stream manager writes into the room that
      // makes: after a few, the queue can fall to the low water mark and release the spout until it passes the high
      // one again. That is the hysteresis working; what must hold is the marks.
      assertWaterMarks(harness, sink.container);

      const bolt = new RegExp(`^instance ${sink.instance} `);
      const cache = await waitFor('the topology manager’s cache to show the cause, since when', async () => {
        const view = await stmgrViewOf(sink.container);
        return view?.announcing === true && (view.causes[sink.instance] ?? 0) > 0 && view.active[sink.instance] !== undefined && view;
      }, 30_000, 200);
      assert.deepEqual(Object.keys(cache.causes), [sink.instance]);
      assert.deepEqual(Object.keys(cache.active), [sink.instance]);
      assertSinceLogged(cache.active[sink.instance], startsOf(sink.container, bolt), 'the topology manager’s cache');
      const scrape = await waitFor('the Prometheus endpoint to show the cause, since when', async () => {
        const scrape = await scrapePrometheus(harness, sink.container);
        const shown =
          sumOfSamples(scrape, 'egret_stmgr_back_pressure', { stmgr: `stmgr-${sink.container}` }) === 1 &&
          sumOfSamples(scrape, 'egret_stmgr_back_pressure_seconds_total', { cause: sink.instance }) > 0 &&
          activeScraped(scrape, sink.container)[sink.instance] !== undefined;
        return shown && scrape;
      }, 30_000, 200);
      assert.deepEqual(Object.keys(activeScraped(scrape, sink.container)), [sink.instance]);
      assertSinceLogged(activeScraped(scrape, sink.container)[sink.instance], startsOf(sink.container, bolt), 'the Prometheus endpoint');
      const spoutSide = await waitFor('the spout’s stream manager’s metrics to show the peer announcing and the spout paused', async () => {
        const view = await stmgrViewOf(spout.container);
        return view?.spoutsPaused === true && view.peersAnnouncing[`stmgr-${sink.container}`] !== undefined && view;
      }, 30_000, 200);
      const announced = logged(spout.container, 'a peer announced back pressure').filter((l) => l.peer === `stmgr-${sink.container}`);
      assertSinceLogged(spoutSide.peersAnnouncing[`stmgr-${sink.container}`], announced, 'the spout’s stream manager’s peersAnnouncing');
    } finally {
      growth = memory.stop();
    }
    t.diagnostic(`stmgr-${sink.container}: ${(memory.baseline / MiB).toFixed(1)} MiB resident before, grew by ${(growth / MiB).toFixed(1)} MiB; the spout paused after ${paused} tuples`);
    assert.ok(growth <= GROWTH_BOUND, `stmgr-${sink.container} grew by ${(growth / MiB).toFixed(1)} MiB, over the ${GROWTH_BOUND / MiB} MiB bound`);
  });

  it('releases once the bolt catches up, and every tuple arrives', async () => {
    const { sink } = run;
    catchUp(output);
    await waitFor('back pressure to stop', () => backPressureOver(run.harness, sink.container), 30_000, 50);
    await waitFor('the spout to emit every tuple', () => emitted() === ROUND, 30_000, 50);
    await waitFor('the bolt to receive every tuple', () => receivedBySink(output) === ROUND, 30_000, 50);
    const over = await waitFor('the metrics to show back pressure over', async () => {
      const view = await stmgrViewOf(sink.container);
      return view?.announcing === false && (view.causes[sink.instance] ?? 0) > 0 && view;
    }, 30_000, 200);
    assert.deepEqual(over.active, {}, 'no active cause left in the topology manager’s cache');
    await waitFor('the Prometheus endpoint to drop the active cause', async () => Object.keys(activeScraped(await scrapePrometheus(run.harness, sink.container), sink.container)).length === 0, 30_000, 200);
    await waitFor('the spout’s stream manager’s metrics to show the spout read again and no peer announcing', async () => {
      const view = await stmgrViewOf(run.spout.container);
      return view?.spoutsPaused === false && Object.keys(view.peersAnnouncing).length === 0;
    }, 30_000, 200);
    assertWaterMarks(run.harness, sink.container);
  });

  it('names a frozen peer stream manager as the cause, pauses the spout, stays bounded, and resumes with the peer', async (t) => {
    const { harness, sink, spout } = run;
    const frozen = await harness.waitForProcess(`stmgr-${sink.container}`);
    const memory = watchMemory(await harness.waitForProcess(`stmgr-${spout.container}`));
    const peer = `stmgr-${sink.container}`;
    let growth: number;
    let paused: number;
    process.kill(frozen, 'SIGSTOP');
    try {
      emitUpTo(output, ROUND + PEER_SOAK_TUPLES + ROUND);
      await waitFor('back pressure to start at the spout’s stream manager', () => logged(spout.container, 'back pressure started').some((l) => l.cause === `peer ${peer}`), 30_000, 50);
      paused = await spoutPaused();
      assert.ok(paused - ROUND <= PEER_SOAK_TUPLES, `the spout emitted ${paused - ROUND} of ${PEER_SOAK_TUPLES + ROUND} tuples before pausing`);
      const [view, scrape] = await waitFor('the metrics to name the peer as an active cause', async () => {
        const view = await stmgrViewOf(spout.container);
        const scrape = await scrapePrometheus(harness, spout.container);
        const named = view?.announcing === true && (view.causes[peer] ?? 0) > 0 && view.active[peer] !== undefined;
        return named && sumOfSamples(scrape, 'egret_stmgr_back_pressure_seconds_total', { cause: peer }) > 0 && activeScraped(scrape, spout.container)[peer] !== undefined && ([view, scrape] as const);
      }, 30_000, 200);
      const starts = startsOf(spout.container, new RegExp(`^peer ${peer}$`));
      assertSinceLogged(view.active[peer], starts, 'the topology manager’s cache');
      assertSinceLogged(activeScraped(scrape, spout.container)[peer], starts, 'the Prometheus endpoint');
    } finally {
      growth = memory.stop();
      process.kill(frozen, 'SIGCONT');
    }
    t.diagnostic(`stmgr-${spout.container}: ${(memory.baseline / MiB).toFixed(1)} MiB resident before, grew by ${(growth / MiB).toFixed(1)} MiB; the spout paused after ${paused - ROUND} tuples`);
    assert.ok(growth <= GROWTH_BOUND, `stmgr-${spout.container} grew by ${(growth / MiB).toFixed(1)} MiB, over the ${GROWTH_BOUND / MiB} MiB bound`);
    await waitFor('back pressure to stop at the spout’s stream manager', () => backPressureOver(harness, spout.container), 30_000, 50);
    await waitFor('the metrics to drop the peer as an active cause', async () => {
      const view = await stmgrViewOf(spout.container);
      return view?.announcing === false && Object.keys(view.active).length === 0 && Object.keys(activeScraped(await scrapePrometheus(harness, spout.container), spout.container)).length === 0;
    }, 30_000, 200);
    assertWaterMarks(harness, spout.container);
    const total = ROUND + PEER_SOAK_TUPLES + ROUND;
    await waitFor('the spout to emit every tuple of both rounds', () => emitted() === total, 30_000, 50);
    await waitFor('the bolt to receive every tuple of both rounds', () => receivedBySink(output) === total, 30_000, 50);
  });
});
