// The ATLEAST_ONCE half of bench:throughput: the acking word count (topologies/word-count-acking.ts) run for real,
// at the maximum rate and rate-limited, measuring acked tuples/s and complete latency percentiles over a window
// (the difference of the spouts' latency histograms at its two ends).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopologyHarness } from '../test/helpers/topology-harness.js';
import { machineTicks, sleep, stealPct, waitForMetricsManagers } from './throughput-measure.js';

/** The histogram's bucket width; the same constant as the spout's (the topology module is bundled, not imported). */
const BUCKET_MS = 0.1;

export interface AtLeastOnceRun {
  readonly tps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Rate-limited runs: the p99 of how late new tuples left the spout behind their schedule (0 at the maximum rate). */
  readonly lagP99Ms: number;
  readonly failed: number;
  /** The share (%) of the machine's CPU time the hypervisor stole during the window. */
  readonly stealPct: number;
}

interface SpoutTotals {
  acked: number;
  failed: number;
  at: number;
  histogram: Map<number, number>;
  lag: Map<number, number>;
}

function addBuckets(into: Map<number, number>, buckets: [number, number][]): void {
  for (const [bucket, count] of buckets) into.set(bucket, (into.get(bucket) ?? 0) + count);
}

/** The spouts' reports summed: acked, failed, latest report time, and the merged histograms. */
function totals(dir: string): SpoutTotals {
  const sum: SpoutTotals = { acked: 0, failed: 0, at: 0, histogram: new Map(), lag: new Map() };
  for (const file of readdirSync(dir).filter((f) => f.startsWith('spout-') && f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      acked: number;
      failed: number;
      at: number;
      buckets: [number, number][];
      lagBuckets: [number, number][];
    };
    sum.acked += report.acked;
    sum.failed += report.failed;
    sum.at = Math.max(sum.at, report.at);
    addBuckets(sum.histogram, report.buckets);
    addBuckets(sum.lag, report.lagBuckets);
  }
  return sum;
}

/** The q-quantile (0..1) in ms of the samples in `after` that are not in `before` (upper edge of the bucket). */
function quantileMs(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const window = [...after].map(([bucket, count]) => [bucket, count - (before.get(bucket) ?? 0)] as const).filter(([, n]) => n > 0);
  window.sort((a, b) => a[0] - b[0]);
  const total = window.reduce((n, [, count]) => n + count, 0);
  let seen = 0;
  for (const [bucket, count] of window) {
    seen += count;
    if (seen >= q * total) return Number(((bucket + 1) * BUCKET_MS).toFixed(2));
  }
  return 0;
}

export interface AtLeastOnceOptions {
  readonly topologyFile: string;
  readonly containers: number;
  readonly parallelism: number;
  /** Tuples/s over all spout tasks; 0 for as fast as they go. */
  readonly rate: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** More config for the run (runtime keys such as `egret.stmgr.drain.interval.ms`, to compare settings). */
  readonly config?: Readonly<Record<string, number | string | boolean>>;
}

export async function runAtLeastOnce(options: AtLeastOnceOptions): Promise<AtLeastOnceRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'egret-bench-acking-'));
  const harness = await TopologyHarness.start({
    topologyFile: options.topologyFile,
    topologyArgs: [String(options.parallelism)],
    containers: options.containers,
    config: { ...options.config, 'bench.report.dir': reportDir, 'bench.rate': options.rate / options.parallelism },
    deadlineMs: 60_000,
  });
  try {
    await harness.waitForPhysicalPlan();
    const deadline = Date.now() + 60_000;
    while (totals(reportDir).acked === 0 && Date.now() < deadline) await sleep(200);
    if (totals(reportDir).acked === 0) throw new Error('bench: no tuple was acked within 60 s');
    await waitForMetricsManagers(harness, 60_000);
    await sleep(options.warmupSeconds * 1000);
    const before = totals(reportDir);
    const ticksBefore = machineTicks();
    await sleep(options.seconds * 1000);
    const after = totals(reportDir);
    const ticksAfter = machineTicks();
    return {
      tps: Math.round(((after.acked - before.acked) * 1000) / (after.at - before.at)),
      p50Ms: quantileMs(before.histogram, after.histogram, 0.5),
      p99Ms: quantileMs(before.histogram, after.histogram, 0.99),
      lagP99Ms: quantileMs(before.lag, after.lag, 0.99),
      failed: after.failed - before.failed,
      stealPct: stealPct(ticksBefore, ticksAfter),
    };
  } finally {
    await harness.stop();
    rmSync(reportDir, { recursive: true, force: true });
  }
}
