// The word count of bench:throughput under ATLEAST_ONCE: the spout emits every word with a message id, the
// example's counting bolt acks each one, and the spout measures complete latency (emit to its `ack` callback)
// into a histogram it reports twice a second. `bench.rate` (tuples/s per spout task, 0 = as fast as it can) makes
// the half-rate run; there the spout also measures how late each new tuple goes out behind its schedule (the
// time it waited in the source, which the complete latency does not see: a spout at `topology.max.spout.pending`
// waits). Failed ids are replayed. Bundled by the harness like any topology; not compiled by the build.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type OutputFieldsDeclarer,
  type Spout,
  type SpoutOutputCollector,
  type TopologyContext,
  type TopologyModuleContext,
  TopologyBuilder,
  TopologyConfigKeys,
} from 'egret';
import { CountBolt, wordPool } from '../../examples/word-count/word-count-topology.js';

const REPORT_DIR = 'bench.report.dir';
const RATE = 'bench.rate';
const MAX_PENDING = 'bench.max.pending';
/**
 * `topology.max.spout.pending` unless `bench.max.pending` says otherwise. The bound is the latency knob of Storm and
 * Heron: every root in flight waits behind the others, so at the maximum rate the complete latency is about the
 * pending roots over the rate (Little's law), and after a stall a spout behind its schedule sends at most this many
 * at once. Word count on 2 containers at the maximum rate, 4 interleaved runs each (acked tuples/s, p50 / p99):
 * 20 000: 0.94-1.15 M (median 1.06 M), 24-32 / 84-117 ms; 4 000: 0.78-1.24 M, 5-8 / 19-33 ms; 2 000: 0.79-1.12 M
 * (median 0.88 M), 3-4 / 10-15 ms; at 1 000 the rate falls to 0.63-0.70 M (too few tuples in flight to fill the
 * batches). Rate-limited to 440 000 tuples/s, 2 000 gave a p99 of 15-19 ms against 38-48 ms at 20 000, but tuples
 * then waited behind their schedule longer (p99 69 against 39-57 ms): the bound moves a stall's wait into the
 * spout, it does not remove the stall.
 */
const DEFAULT_MAX_PENDING = 2_000;
/** Latency histogram: 0.1 ms buckets up to 2 s; the last bucket holds everything slower. */
export const BUCKET_MS = 0.1;
const BUCKETS = 20_000;
/** Emit times by message id modulo this: far more than can be pending at once (max pending is per task). */
const RING = 1 << 20;
const REPORT_EVERY_MS = 500;

const bucketOf = (ms: number): number => Math.min(BUCKETS - 1, Math.floor(ms / BUCKET_MS));

function nonZero(histogram: Uint32Array): [number, number][] {
  const buckets: [number, number][] = [];
  histogram.forEach((count, bucket) => count > 0 && buckets.push([bucket, count]));
  return buckets;
}

class AckingWordSpout implements Spout {
  private words: string[] = [];
  private collector?: SpoutOutputCollector;
  private readonly sentAt = new Float64Array(RING);
  private readonly histogram = new Uint32Array(BUCKETS);
  /** Rate-limited: how late new tuples were emitted behind their schedule, in the same buckets. */
  private readonly lagHistogram = new Uint32Array(BUCKETS);
  private readonly replays: number[] = [];
  private nextId = 0;
  private acked = 0;
  private failed = 0;
  private rate = 0;
  private startedAt = 0;
  private lastReport = 0;
  private calls = 0;
  private file = '';

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word']);
  }

  open(context: TopologyContext, collector: SpoutOutputCollector): void {
    this.words = wordPool();
    this.collector = collector;
    this.rate = Number(context.config[RATE] ?? 0);
    this.file = join(String(context.config[REPORT_DIR]), `spout-${context.taskId}.json`);
    this.startedAt = performance.now();
  }

  nextTuple(): void {
    if ((++this.calls & 255) === 0) this.maybeReport();
    // One clock read a call (it costs about as much as the emit): the rate check's, which is also the emit time.
    const now = performance.now();
    // Rate-limited: the next new tuple is due at its place in the schedule, and nothing goes out sooner (a replay
    // takes the place of a new tuple only then, as before; the lag is timed on new tuples).
    if (this.rate > 0) {
      const lateMs = now - (this.startedAt + (this.nextId * 1000) / this.rate);
      if (lateMs < 0) return;
      if (this.replays.length === 0) this.lagHistogram[bucketOf(lateMs)]! += 1;
    }
    const id = this.replays.pop() ?? this.nextId++;
    this.sentAt[id % RING] = now;
    this.collector?.emit([this.words[id % this.words.length]], { messageId: id });
  }

  ack(messageId: unknown): void {
    const id = messageId as number;
    const latencyMs = performance.now() - (this.sentAt[id % RING] ?? 0);
    this.histogram[bucketOf(latencyMs)]! += 1;
    this.acked++;
  }

  fail(messageId: unknown): void {
    this.failed++;
    this.replays.push(messageId as number);
  }

  private maybeReport(): void {
    const now = Date.now();
    if (now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const report = { acked: this.acked, failed: this.failed, at: now, buckets: nonZero(this.histogram), lagBuckets: nonZero(this.lagHistogram) };
    // Written whole, then renamed: the benchmark never reads half a report.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(report));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

export default function wordCountAcking({ args, config }: TopologyModuleContext) {
  const parallelism = Number(args[0] ?? 1);
  const builder = new TopologyBuilder();
  builder.setSpout('word', () => new AckingWordSpout(), parallelism);
  builder.setBolt('count', () => new CountBolt(), parallelism).fieldsGrouping('word', ['word']);
  return builder.build('word-count-acking-bench', {
    [TopologyConfigKeys.RELIABILITY_MODE]: 'ATLEAST_ONCE',
    [TopologyConfigKeys.MAX_SPOUT_PENDING]: Number(config[MAX_PENDING] ?? DEFAULT_MAX_PENDING),
    [REPORT_DIR]: String(config[REPORT_DIR] ?? '/tmp'),
    [RATE]: Number(config[RATE] ?? 0),
  });
}
