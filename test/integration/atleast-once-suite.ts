import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sentenceOf } from '../fixtures/topologies/acking-reports.js';
import { tempDir } from '../helpers/temp-dir.js';
import type { TopologyHarness } from '../helpers/topology-harness.js';
import { scrapePrometheus, sumOfSamples, tmanagerMetrics } from '../helpers/topology-metrics.js';
import { waitFor } from '../helpers/wait-for.js';
import { ackedCount, countReports, missingIds, startAckingRun, SUITE_TIMEOUT_MS, waitForEveryAck } from './acking-runs.js';

const CONTAINERS = 2;
const SPOUTS = 2;
const MESSAGES = 1200;
/** Per spout task: the run lasts about MESSAGES / RATE seconds, long enough to break something in the middle. */
const RATE = 150;
const TIMEOUT_SECS = 4;

/** What a test kills: a bolt instance, a stream manager, or the topology manager. */
export type Victim = 'bolt' | 'stmgr' | 'tmanager';

function victimName(harness: TopologyHarness, victim: Victim): string {
  if (victim === 'tmanager') return 'tmanager';
  if (victim === 'stmgr') return `stmgr-${CONTAINERS}`;
  const split = harness.processNames(CONTAINERS).find((name) => /_split_\d+$/.test(name));
  assert.ok(split, `container ${CONTAINERS} runs a split instance`);
  return split;
}

/**
 * ATLEAST_ONCE word count on real processes (two containers; spouts, split and count bolts in both), with `victim`
 * killed by SIGKILL once a fifth of the ids are acked, and restarted by its executor: in the end every message id of
 * every spout task is acked (replays allowed), none lost. Killing a bolt or a stream manager loses the tuples in
 * flight there, so some ids must have failed (timed out) and been replayed, or the kill missed the run. The metrics
 * tell what happened: the restart of the victim, or the new topology manager's cache filling again.
 */
export function atLeastOnceUnderFailure(victim: Victim): void {
  const what = victim === 'bolt' ? 'a split bolt instance' : victim === 'stmgr' ? 'the stream manager of a container' : 'the topology manager';
  describe(`ATLEAST_ONCE word count with ${what} killed by SIGKILL mid-run`, { timeout: SUITE_TIMEOUT_MS }, () => {
    const output = tempDir();
    let harness: TopologyHarness;
    let name: string;

    before(async () => {
      harness = await startAckingRun({
        output,
        containers: CONTAINERS,
        messages: MESSAGES,
        config: {
          'test.spouts': SPOUTS,
          'test.rate': RATE,
          'topology.message.timeout.secs': TIMEOUT_SECS,
          'topology.max.spout.pending': 50,
          'egret.metrics.interval.ms': 500,
        },
      });
      name = victimName(harness, victim);
    });

    after(async () => {
      await harness?.stop();
    });

    it('acks every message id in the end, none lost', async () => {
      const total = SPOUTS * MESSAGES;
      await waitFor('a fifth of the ids acked', () => ackedCount(output) >= total / 5, 60_000, 100);
      const killed = await harness.kill(name);
      assert.ok(ackedCount(output) < total, `the run was over before ${name} was killed`);
      await harness.waitForProcess(name, { notPid: killed });

      const reports = await waitForEveryAck(output, SPOUTS, MESSAGES, 45_000);
      for (const report of reports) assert.deepEqual(missingIds(report.acked, MESSAGES), [], `task ${report.task}`);
      const failed = reports.reduce((n, r) => n + r.failCount, 0);
      if (victim !== 'tmanager') assert.ok(failed > 0, `killing ${name} lost no tuple in flight: nothing failed, nothing was replayed`);
      // A stream manager's instances go down with it: the spout task there started again from what was acked.
      if (victim === 'stmgr') assert.ok(reports.some((r) => r.incarnation > 1), 'no spout task restarted with its stream manager');
      else assert.ok(reports.every((r) => r.incarnation === 1), 'a spout task restarted');
    });

    if (victim === 'bolt') {
      it('counts every word of every sentence at least once (the counting bolts were not killed)', async () => {
        const expected = new Map<string, number>();
        for (let id = 0; id < MESSAGES; id++) for (const word of sentenceOf(id).split(' ')) expected.set(word, (expected.get(word) ?? 0) + SPOUTS);
        await waitFor(
          'the counting bolts to report every word',
          () => {
            const counts = new Map<string, number>();
            for (const r of countReports(output)) for (const [word, n] of Object.entries(r.counts)) counts.set(word, (counts.get(word) ?? 0) + n);
            const short = [...expected].filter(([word, n]) => (counts.get(word) ?? 0) < n);
            if (short.length === 0) return true;
            throw new Error(`short: ${short.map(([word, n]) => `${word} ${counts.get(word) ?? 0}/${n}`).join(', ')}`);
          },
          10_000,
          200,
        );
      });

      it('shows the restart in the metrics: the topology manager’s cache and the Prometheus endpoint', async () => {
        await waitFor('the cache to count the restart', async () => (await tmanagerMetrics(harness)).components['split']?.instances[name]?.restarts === 1, 10_000, 200);
        const scrape = await scrapePrometheus(harness, CONTAINERS);
        assert.equal(sumOfSamples(scrape, 'egret_instance_restarts_total', { instance: name }), 1);
      });
    }

    if (victim === 'stmgr') {
      it('shows the restart and the tuples it could not deliver in the topology manager’s cache', async () => {
        const others = 'stmgr-1';
        await waitFor(
          'the cache to count the restart and the drops',
          async () => {
            const { stmgrs } = await tmanagerMetrics(harness);
            return stmgrs[name]?.restarts === 1 && stmgrs[others]?.restarts === 0 && (stmgrs[others]?.dropped ?? 0) > 0;
          },
          10_000,
          200,
        );
      });
    }

    if (victim === 'tmanager') {
      it('fills the new topology manager’s metrics cache again', async () => {
        // The new cache starts empty: what it shows came after the restart, through the metrics managers.
        await waitFor('the new cache to show acks', async () => (await tmanagerMetrics(harness)).components['sentences']?.acked ?? 0, 10_000, 200);
      });
    }
  });
}
