import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { scrapePrometheus, sumOfSamples } from '../helpers/topology-metrics.js';
import { waitFor } from '../helpers/wait-for.js';
import { SUITE_TIMEOUT_MS } from './acking-runs.js';
import {
  type BackPressureRun,
  catchUp,
  emittedBySpout,
  emitUpTo,
  GROWTH_BOUND,
  MiB,
  receivedBySink,
  ROUND,
  startBackPressureRun,
  stmgrLogged,
  watchMemory,
} from './back-pressure-runs.js';

/**
 * `topology.droptuples.upon.backpressure` end to end (the spout in one container, a bolt taking 20 ms per tuple in
 * the other): nothing pauses the spout, which emits its whole round at once; the bolt's stream manager stays within
 * the same memory bound as under back pressure by dropping what its queue to the bolt cannot take; and every tuple
 * is accounted for: received by the bolt, or counted as dropped for back pressure in the metrics.
 */
describe('dropping tuples instead of back pressure, end to end', { timeout: SUITE_TIMEOUT_MS }, () => {
  const output = tempDir();
  let run: BackPressureRun;

  /** Tuples the stream managers dropped for back pressure, from their Prometheus endpoints. */
  async function dropped(): Promise<number> {
    const scrapes = await Promise.all([run.spout.container, run.sink.container].map((c) => scrapePrometheus(run.harness, c)));
    return scrapes.reduce((n, scrape) => n + sumOfSamples(scrape, 'egret_stmgr_dropped_tuples_total', { reason: 'backpressure-drop' }), 0);
  }

  before(async () => {
    run = await startBackPressureRun(output, { 'topology.droptuples.upon.backpressure': true });
  });

  after(async () => {
    await run?.harness.stop();
  });

  it('never pauses the spout, and stays within the memory bound', async (t) => {
    const { harness, sink, spout } = run;
    const memory = watchMemory(await harness.waitForProcess(`stmgr-${sink.container}`));
    let growth: number;
    try {
      emitUpTo(output, ROUND);
      await waitFor('the spout to emit its whole round', () => emittedBySpout(output) === ROUND, 30_000, 50);
      // The bolt has taken only a few hundred tuples by now: the rest were dropped or are queued.
      assert.ok(receivedBySink(output) < ROUND / 2, `the slow bolt received ${receivedBySink(output)} tuples already`);
    } finally {
      growth = memory.stop();
    }
    t.diagnostic(`stmgr-${sink.container}: ${(memory.baseline / MiB).toFixed(1)} MiB resident before, grew by ${(growth / MiB).toFixed(1)} MiB`);
    assert.ok(growth <= GROWTH_BOUND, `stmgr-${sink.container} grew by ${(growth / MiB).toFixed(1)} MiB, over the ${GROWTH_BOUND / MiB} MiB bound`);
    for (const container of [spout.container, sink.container]) {
      assert.deepEqual(stmgrLogged(harness, container, 'back pressure started'), [], `stmgr-${container} started back pressure`);
      assert.deepEqual(stmgrLogged(harness, container, 'a peer announced back pressure'), [], `stmgr-${container} heard of back pressure`);
    }
  });

  it('accounts for every tuple: received by the bolt, or dropped and counted', async () => {
    catchUp(output);
    let last = { received: 0, dropped: 0 };
    await waitFor(
      'the received and the dropped tuples to add up to the round',
      async () => {
        last = { received: receivedBySink(output), dropped: await dropped() };
        return last.received + last.dropped === ROUND;
      },
      30_000,
      200,
    ).catch(() => undefined);
    assert.equal(last.received + last.dropped, ROUND, JSON.stringify(last));
    assert.ok(last.dropped > 0, 'nothing was dropped');
  });
});
