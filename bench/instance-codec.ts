// The instance's per-tuple cost without sockets or threads (`node dist/bench/instance-codec.js`): a word-count spout
// emitting through the real emitter and spout runner into frames that are handed straight back, and a counting bolt
// executing HeronTupleSet2 frames through the real inbound reader and bolt runner. ATMOST_ONCE first; then, unless
// BENCH_MODE=atmost, ATLEAST_ONCE: the spout emits with message ids and every root is acked back at once through
// the real control reader (the stream manager's side is timed apart and left out), and the bolt acks every tuple,
// which carries a key and a root. Prints a line per run, then one JSON line of medians: tuples/s and ns/tuple of CPU
// time.
import type { Bolt } from '../api/bolt.js';
import type { BoltOutputCollector, SpoutOutputCollector } from '../api/output-collector.js';
import type { Spout } from '../api/spout.js';
import type { Tuple } from '../api/tuple.js';
import { egretValueCodec } from '../runtime/instance/serializer/value-codec.js';
import { ControlSetReader } from '../runtime/instance/codec/control-set-reader.js';
import { TupleSetWriter, type FinishedFrame } from '../runtime/instance/codec/tuple-set-writer.js';
import { BoltRunner } from '../runtime/instance/task/bolt-runner.js';
import { boltCollector, spoutCollector, trackingBoltCollector, trackingSpoutCollector } from '../runtime/instance/task/collectors.js';
import { Emitter } from '../runtime/instance/task/emitter.js';
import { InboundTuples } from '../runtime/instance/task/inbound-tuples.js';
import { TICK_STREAM_INFO } from '../runtime/instance/task/instance-tuple.js';
import { OutboundFrames } from '../runtime/instance/task/outbound-frames.js';
import { PendingRoots } from '../runtime/instance/task/pending-roots.js';
import { streamInfo } from '../runtime/instance/task/plan-view.js';
import { SpoutRunner } from '../runtime/instance/task/spout-runner.js';
import type { StreamRoute } from '../runtime/instance/task/stream-routes.js';
import { InputStream, OutputStats } from '../runtime/instance/task/stream-stats.js';
import { AckingSink, boltBatches } from './instance-acking-harness.js';

const WORDS = Number(process.env["BENCH_WORDS"] ?? 128 * 1024);
const SPOUT_TUPLES = 5_000_000;
const BOLT_TUPLES = 3_000_000;
const RUNS = 5;
const ACKING = process.env['BENCH_MODE'] !== 'atmost';
/** Roots in flight before nextTuple pauses: above a frame's worth, so that the spout never waits here. */
const MAX_PENDING = 20_000;

/** The word pool of examples/word-count: 20 random lowercase letters each, built by concatenation as there. */
function wordPool(): string[] {
  const words: string[] = [];
  for (let i = 0; i < WORDS; i++) {
    let word = '';
    for (let j = 0; j < 20; j++) word += String.fromCharCode(97 + Math.floor(Math.random() * 26));
    words.push(word);
  }
  return words;
}

const cpuNs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1000;
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

const INFO = streamInfo('word', 'default', ['word'], false);
const OPTIONS = { component: 'word', taskId: 1, batchBytes: 64 * 1024, batchMs: 2, maxFrameBytes: 10 * 1024 * 1024 };

/**
 * Runs the word spout until it has emitted `count` tuples (and, acking, until all are acked); frames go back to the
 * pool at once. `cpu` leaves out the acking harness.
 */
async function spoutRun(words: readonly string[], count: number, acking: boolean): Promise<{ cpu: number; wall: number; bytes: number }> {
  let sink: (frame: FinishedFrame) => void = () => undefined;
  const out: OutboundFrames = new OutboundFrames((frame: FinishedFrame) => {
    sink(frame);
    out.credit([frame.buffer]);
  }, OPTIONS.batchBytes + 16 * 1024, 8);
  const route: StreamRoute = { info: INFO, writer: new TupleSetWriter('default', 'word', 1, egretValueCodec), directTasks: new Set(), customs: null, stats: new OutputStats() };
  const emitter = new Emitter(new Map([['default', route]]), out, OPTIONS);
  let collector: SpoutOutputCollector | undefined;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let acked = 0;
  let n = 0;
  const spout: Spout = {
    open(_context, c) {
      collector = c;
    },
    nextTuple() {
      if (emitter.emitted >= count) {
        if (!acking) done();
        return;
      }
      if (acking) collector!.emit([words[Math.floor(Math.random() * words.length)]], { messageId: n++ });
      else collector!.emit([words[Math.floor(Math.random() * words.length)]]);
    },
    ack() {
      if (++acked === count) done();
    },
  };
  const fail = (error: unknown): never => {
    throw error;
  };
  let harness: AckingSink | undefined;
  let runner: SpoutRunner;
  if (acking) {
    const roots = new PendingRoots(1);
    const reader = new ControlSetReader(1);
    harness = new AckingSink(1, (frame) => {
      reader.readFrames(frame, frame.length, roots.complete);
      runner.wake();
    });
    sink = (frame) => harness!.onFrame(frame);
    runner = new SpoutRunner(spout, emitter, out, fail, { roots, maxPending: MAX_PENDING, timeoutMs: 30_000 });
    void spout.open({} as never, trackingSpoutCollector(emitter, roots, () => undefined));
  } else {
    runner = new SpoutRunner(spout, emitter, out, fail);
    void spout.open({} as never, spoutCollector(emitter, () => undefined, () => undefined));
  }
  const cpu = cpuNs();
  const wall = performance.now();
  runner.setActive(true);
  await finished;
  const harnessNs = (harness?.harnessMs ?? 0) * 1e6;
  const result = { cpu: cpuNs() - cpu - harnessNs, wall: (performance.now() - wall) * 1e6 - harnessNs, bytes: emitter.bytes };
  await runner.stop();
  return result;
}

/** Runs the counting bolt over `batches`, acking each tuple when `acking`. */
async function boltRun(batches: ReadonlyArray<{ buffer: ArrayBuffer; length: number }>, count: number, acking: boolean): Promise<{ cpu: number; wall: number }> {
  const out = new OutboundFrames((frame) => out.credit([frame.buffer]), OPTIONS.batchBytes + 16 * 1024, 8);
  const emitter = new Emitter(new Map(), out, OPTIONS);
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let released = 0;
  const inputs = new Map([['word', new Map([['default', new InputStream(INFO)]])]]);
  const inbound = new InboundTuples(inputs, egretValueCodec, () => {
    if (++released === batches.length) done();
  }, (message) => {
    throw new Error(message);
  });
  const counts = new Map<string, number>();
  let executed = 0;
  let collector: BoltOutputCollector | undefined;
  const bolt: Bolt = {
    prepare(_context, c: BoltOutputCollector) {
      collector = c;
    },
    execute(tuple: Tuple) {
      const word = tuple.getValueByField('word') as string;
      counts.set(word, (counts.get(word) ?? 0) + 1);
      executed++;
      if (acking) collector!.ack(tuple);
    },
  };
  void bolt.prepare?.({} as never, acking ? trackingBoltCollector(emitter, () => undefined) : boltCollector(emitter, () => undefined));
  const runner = new BoltRunner(bolt, emitter, out, inbound, (error) => {
    throw error;
  }, undefined, new InputStream(TICK_STREAM_INFO));
  for (const { buffer, length } of batches) inbound.push(buffer, length, performance.now());
  const cpu = cpuNs();
  const wall = performance.now();
  runner.start();
  await finished;
  const result = { cpu: cpuNs() - cpu, wall: (performance.now() - wall) * 1e6 };
  await runner.stop();
  if (executed !== count) throw new Error(`executed ${executed} of ${count}`);
  return result;
}

const words = wordPool();
const modes = ACKING ? [false, true] : [false];
const spoutNs: number[][] = modes.map(() => []);
const boltNs: number[][] = modes.map(() => []);
let bytesPerTuple = 0;
for (let run = 0; run < RUNS; run++) {
  const line: string[] = [];
  for (const [i, acking] of modes.entries()) {
    const spout = await spoutRun(words, SPOUT_TUPLES, acking);
    if (!acking) bytesPerTuple = spout.bytes / SPOUT_TUPLES;
    spoutNs[i]!.push(spout.cpu / SPOUT_TUPLES);
    const bolt = await boltRun(boltBatches(words, BOLT_TUPLES, acking), BOLT_TUPLES, acking);
    boltNs[i]!.push(bolt.cpu / BOLT_TUPLES);
    line.push(
      `${acking ? 'ATLEAST_ONCE' : 'ATMOST_ONCE'} spout ${(spout.cpu / SPOUT_TUPLES).toFixed(0)} ns/tuple cpu (${(spout.wall / SPOUT_TUPLES).toFixed(0)} wall), bolt ${(bolt.cpu / BOLT_TUPLES).toFixed(0)} ns/tuple cpu (${(bolt.wall / BOLT_TUPLES).toFixed(0)} wall)`,
    );
  }
  console.log(`run ${run + 1}: ${line.join('; ')}`);
}
const spoutMedian = median(spoutNs[0]!);
const boltMedian = median(boltNs[0]!);
const figures: Record<string, number> = {
  spout_encode_ns_per_tuple: Math.round(spoutMedian),
  spout_encode_tps: Math.round(1e9 / spoutMedian),
  bolt_decode_execute_ns_per_tuple: Math.round(boltMedian),
  bolt_decode_execute_tps: Math.round(1e9 / boltMedian),
  bytes_per_tuple: Number(bytesPerTuple.toFixed(1)),
};
if (ACKING) {
  figures['atleast_once_spout_ns_per_tuple'] = Math.round(median(spoutNs[1]!));
  figures['atleast_once_bolt_ns_per_tuple'] = Math.round(median(boltNs[1]!));
}
console.log(JSON.stringify(figures));
