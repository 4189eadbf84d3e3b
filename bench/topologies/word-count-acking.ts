// The word count of bench:throughput under ATLEAST_ONCE: the spout emits every word with a message id, the
// example's counting bolt acks each one, and the spout measures complete latency (emit to its `ack` callback)
// into a histogram it reports twice a second. `bench.rate` (tuples/s per spout task, 0 = as fast as it can) makes
// the half-rate run. Failed ids are replayed. Bundled by the harness like any topology; not compiled by the build.
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
/** Latency histogram: 0.1 ms buckets up to 2 s; the last bucket holds everything slower. */
export const BUCKET_MS = 0.1;
const BUCKETS = 20_000;
/** Emit times by message id modulo this: far more than can be pending at once (max pending is per task). */
const RING = 1 << 20;
const REPORT_EVERY_MS = 500;

class AckingWordSpout implements Spout {
  private words: string[] = [];
  private collector?: SpoutOutputCollector;
  private readonly sentAt = new Float64Array(RING);
  private readonly histogram = new Uint32Array(BUCKETS);
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
    // Rate-limited: emit only as many tuples as the elapsed time allows.
    if (this.rate > 0 && this.nextId >= ((now - this.startedAt) * this.rate) / 1000) return;
    const id = this.replays.pop() ?? this.nextId++;
    this.sentAt[id % RING] = now;
    this.collector?.emit([this.words[id % this.words.length]], { messageId: id });
  }

  ack(messageId: unknown): void {
    const id = messageId as number;
    const latencyMs = performance.now() - (this.sentAt[id % RING] ?? 0);
    this.histogram[Math.min(BUCKETS - 1, Math.floor(latencyMs / BUCKET_MS))]! += 1;
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
    const buckets: [number, number][] = [];
    this.histogram.forEach((count, bucket) => count > 0 && buckets.push([bucket, count]));
    // Written whole, then renamed: the benchmark never reads half a report.
    writeFileSync(`${this.file}.tmp`, JSON.stringify({ acked: this.acked, failed: this.failed, at: now, buckets }));
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
    [TopologyConfigKeys.MAX_SPOUT_PENDING]: Number(config[MAX_PENDING] ?? 20_000),
    [REPORT_DIR]: String(config[REPORT_DIR] ?? '/tmp'),
    [RATE]: Number(config[RATE] ?? 0),
  });
}
