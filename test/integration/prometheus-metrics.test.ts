import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PrometheusScrape } from '../metricsmgr/prometheus-text.js';
import { tempDir } from '../helpers/temp-dir.js';
import type { TopologyHarness } from '../helpers/topology-harness.js';
import { scrapePrometheus, sumOfSamples } from '../helpers/topology-metrics.js';
import { waitFor } from '../helpers/wait-for.js';
import { spoutReports, startAckingRun, SUITE_TIMEOUT_MS, waitForEveryAck } from './acking-runs.js';

const CONTAINERS = 2;
const SPOUTS = 2;
const MESSAGES = 1000;
/** Per spout task: the run lasts a few seconds, long enough to scrape it several times on the way. */
const RATE = 300;
const SENTENCES = SPOUTS * MESSAGES;
/** Every sentence has three words. */
const WORDS = 3 * SENTENCES;

/** Every instance and stream manager of the topology, from the Prometheus endpoints of every container. */
async function scrapeAll(harness: TopologyHarness): Promise<PrometheusScrape> {
  const scrapes = await Promise.all(Array.from({ length: CONTAINERS }, (_, i) => scrapePrometheus(harness, i + 1)));
  return { samples: scrapes.flatMap((s) => s.samples), types: new Map(scrapes.flatMap((s) => [...s.types])) };
}

/** The figures the test compares with what the topology did. */
function figures(scrape: PrometheusScrape): Record<string, number> {
  const connection = (direction: string, component: string) =>
    scrape.samples.filter((s) => s.name === 'egret_stmgr_connection_tuples_total' && s.labels['direction'] === direction && new RegExp(`^container_\\d+_${component}_\\d+$`).test(s.labels['connection'] ?? '')).reduce((n, s) => n + s.value, 0);
  return {
    'sentences emitted': sumOfSamples(scrape, 'egret_emitted_tuples_total', { component: 'sentences' }),
    'sentences acked': sumOfSamples(scrape, 'egret_acked_tuples_total', { component: 'sentences' }),
    'sentences failed': sumOfSamples(scrape, 'egret_failed_tuples_total', { component: 'sentences' }),
    'split executed': sumOfSamples(scrape, 'egret_executed_tuples_total', { component: 'split', source_component: 'sentences' }),
    'split emitted': sumOfSamples(scrape, 'egret_emitted_tuples_total', { component: 'split' }),
    'split acked': sumOfSamples(scrape, 'egret_acked_tuples_total', { component: 'split' }),
    'count executed': sumOfSamples(scrape, 'egret_executed_tuples_total', { component: 'count', source_component: 'split' }),
    'count acked': sumOfSamples(scrape, 'egret_acked_tuples_total', { component: 'count' }),
    'stream managers: tuples in from the spouts': connection('in', 'sentences'),
    'stream managers: tuples out to the split bolts': connection('out', 'split'),
    'stream managers: tuples in from the split bolts': connection('in', 'split'),
    'stream managers: tuples out to the count bolts': connection('out', 'count'),
  };
}

/** What a run without failures does: every sentence once through the spouts and split, every word through count. */
const EXPECTED: Record<string, number> = {
  'sentences emitted': SENTENCES,
  'sentences acked': SENTENCES,
  'sentences failed': 0,
  'split executed': SENTENCES,
  'split emitted': WORDS,
  'split acked': SENTENCES,
  'count executed': WORDS,
  'count acked': WORDS,
  'stream managers: tuples in from the spouts': SENTENCES,
  'stream managers: tuples out to the split bolts': SENTENCES,
  'stream managers: tuples in from the split bolts': WORDS,
  'stream managers: tuples out to the count bolts': WORDS,
};

/**
 * The Prometheus endpoints of the metrics managers (one per container), scraped over HTTP while an ATLEAST_ONCE
 * word count runs: the counters only go up, and once the spouts have emitted their fixed number of tuples and every
 * tree is acked, they match exactly what the topology did, per component, per spout task, and per stream manager
 * connection.
 */
describe('the Prometheus endpoint, scraped during a run', { timeout: SUITE_TIMEOUT_MS }, () => {
  const output = tempDir();
  let harness: TopologyHarness;
  const during: Array<Record<string, number>> = [];

  before(async () => {
    harness = await startAckingRun({ output, containers: CONTAINERS, messages: MESSAGES, gated: true, config: { 'test.spouts': SPOUTS, 'test.rate': RATE, 'egret.metrics.interval.ms': 250 } });
    // Scrape until every id is acked.
    const done = waitForEveryAck(output, SPOUTS, MESSAGES, 45_000);
    let finished = false;
    done.then(() => (finished = true)).catch(() => (finished = true));
    while (!finished) {
      during.push(figures(await scrapeAll(harness).catch(() => ({ samples: [], types: new Map() }))));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await done;
  });

  after(async () => {
    await harness?.stop();
  });

  it('answered while the spouts were emitting, with counts that only went up', () => {
    assert.ok(
      during.some((f) => (f['sentences emitted'] ?? 0) > 0 && (f['sentences emitted'] ?? 0) < SENTENCES),
      `no scrape caught the run half-way: ${during.map((f) => f['sentences emitted']).join(', ')}`,
    );
    for (const name of Object.keys(EXPECTED)) {
      const values = during.map((f) => f[name] ?? 0);
      for (let i = 1; i < values.length; i++) assert.ok((values[i] ?? 0) >= (values[i - 1] ?? 0), `${name} went down: ${values.join(', ')}`);
    }
  });

  it('counts exactly what the topology did once it is done', async () => {
    // The last acks reach the metrics managers within an interval or two of the spouts seeing them.
    let last: Record<string, number> = {};
    await waitFor(
      'the counters to add up',
      async () => {
        last = figures(await scrapeAll(harness));
        return Object.entries(EXPECTED).every(([name, value]) => last[name] === value);
      },
      15_000,
      200,
    ).catch(() => undefined);
    assert.deepEqual(last, EXPECTED);
  });

  it('counts each spout task’s emits under its own labels', async () => {
    const scrape = await scrapeAll(harness);
    for (const report of spoutReports(output)) {
      const labels = { component: 'sentences', task: String(report.task), instance: `container_${containerOf(harness, report.task)}_sentences_${report.task}`, stream: 'default' };
      assert.equal(sumOfSamples(scrape, 'egret_emitted_tuples_total', labels), report.emitted, JSON.stringify(labels));
    }
    assert.equal(scrape.types.get('egret_emitted_tuples_total'), 'counter');
  });
});

function containerOf(harness: TopologyHarness, task: number): number {
  const container = harness.plan.containers.find((c) => c.instances.some((i) => i.taskId === task));
  assert.ok(container, `task ${task} is in the packing plan`);
  return container.id;
}
