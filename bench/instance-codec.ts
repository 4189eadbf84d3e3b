// The instance's per-tuple cost without sockets or threads (`node dist/bench/instance-codec.js`): a word-count spout
// emitting through the real emitter and spout runner into frames that are handed straight back, and a counting bolt
// executing HeronTupleSet2 frames through the real inbound reader and bolt runner. Prints a line per run, then one
// JSON line of medians: tuples/s and ns/tuple of CPU time.
import type { Bolt } from '../api/bolt.js';
import type { BoltOutputCollector, SpoutOutputCollector } from '../api/output-collector.js';
import type { Spout } from '../api/spout.js';
import type { Tuple } from '../api/tuple.js';
import { egretValueCodec } from '../runtime/instance/serializer/value-codec.js';
import { TupleSetWriter, type FinishedFrame } from '../runtime/instance/codec/tuple-set-writer.js';
import { encodeFrame } from '../runtime/protocol/frames.js';
import { heron } from '../core/proto/index.js';
import { BoltRunner } from '../runtime/instance/task/bolt-runner.js';
import { boltCollector, spoutCollector } from '../runtime/instance/task/collectors.js';
import { Emitter } from '../runtime/instance/task/emitter.js';
import { InboundTuples } from '../runtime/instance/task/inbound-tuples.js';
import { OutboundFrames } from '../runtime/instance/task/outbound-frames.js';
import { streamInfo, type StreamInfo } from '../runtime/instance/task/plan-view.js';
import { SpoutRunner } from '../runtime/instance/task/spout-runner.js';
import type { StreamRoute } from '../runtime/instance/task/stream-routes.js';

const WORDS = Number(process.env["BENCH_WORDS"] ?? 128 * 1024);
const SPOUT_TUPLES = 5_000_000;
const BOLT_TUPLES = 3_000_000;
const RUNS = 5;

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

/** Runs the word spout until it has emitted `count` tuples; frames go back to the pool at once. */
async function spoutRun(words: readonly string[], count: number): Promise<{ cpu: number; wall: number; bytes: number }> {
  const out: OutboundFrames = new OutboundFrames((frame: FinishedFrame) => out.credit([frame.buffer]), OPTIONS.batchBytes + 16 * 1024, 8);
  const route: StreamRoute = { info: INFO, writer: new TupleSetWriter('default', 'word', 1, egretValueCodec), directTasks: new Set(), customs: null };
  const emitter = new Emitter(new Map([['default', route]]), out, OPTIONS);
  let collector: SpoutOutputCollector | undefined;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const spout: Spout = {
    open(_context, c) {
      collector = c;
    },
    nextTuple() {
      if (emitter.emitted >= count) {
        done();
        return;
      }
      collector!.emit([words[Math.floor(Math.random() * words.length)]]);
    },
  };
  const runner = new SpoutRunner(spout, emitter, out, (error) => {
    throw error;
  });
  void spout.open({} as never, spoutCollector(emitter, () => undefined, () => undefined));
  const cpu = cpuNs();
  const wall = performance.now();
  runner.setActive(true);
  await finished;
  const result = { cpu: cpuNs() - cpu, wall: (performance.now() - wall) * 1e6, bytes: emitter.bytes };
  await runner.stop();
  return result;
}

/** HeronTupleSet2 frames of word tuples, as a stream manager sends them, packed into 512 KiB batch buffers. */
function boltInput(words: readonly string[], count: number): Array<{ buffer: ArrayBuffer; length: number }> {
  const perFrame = 2000;
  const frames: Buffer[] = [];
  for (let first = 0; first < count; first += perFrame) {
    const writer = new TupleSetWriter('default', 'word', 1, egretValueCodec);
    writer.open(new ArrayBuffer(128 * 1024), 0);
    for (let i = first; i < Math.min(count, first + perFrame); i++) writer.write([words[i % words.length]], [], 0);
    const frame = writer.finish();
    const set = heron.proto.system.HeronTupleSet.decode(new Uint8Array(frame.buffer, frame.start + 76, frame.end - frame.start - 76));
    const tuples = set.data!.tuples!.map((t) => heron.proto.system.HeronDataTuple.encode(t).finish());
    frames.push(encodeFrame('heron.proto.system.HeronTupleSet2', heron.proto.system.HeronTupleSet2.encode({ data: { stream: set.data!.stream, tuples }, srcTaskId: 1 }).finish()));
  }
  const batches: Array<{ buffer: ArrayBuffer; length: number }> = [];
  let current = Buffer.alloc(0);
  for (const frame of frames) {
    if (current.length + frame.length > 512 * 1024) {
      batches.push(toBatch(current));
      current = Buffer.alloc(0);
    }
    current = Buffer.concat([current, frame]);
  }
  if (current.length > 0) batches.push(toBatch(current));
  return batches;
}

function toBatch(bytes: Buffer): { buffer: ArrayBuffer; length: number } {
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return { buffer, length: bytes.length };
}

/** Runs the counting bolt over `batches`. */
async function boltRun(batches: ReadonlyArray<{ buffer: ArrayBuffer; length: number }>, count: number): Promise<{ cpu: number; wall: number }> {
  const out = new OutboundFrames((frame) => out.credit([frame.buffer]), OPTIONS.batchBytes + 16 * 1024, 8);
  const emitter = new Emitter(new Map(), out, OPTIONS);
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let released = 0;
  const inputs = new Map<string, Map<string, StreamInfo>>([['word', new Map([['default', INFO]])]]);
  const inbound = new InboundTuples(inputs, egretValueCodec, () => {
    if (++released === batches.length) done();
  }, (message) => {
    throw new Error(message);
  });
  const counts = new Map<string, number>();
  let executed = 0;
  const bolt: Bolt = {
    prepare(_context, _collector: BoltOutputCollector) {},
    execute(tuple: Tuple) {
      const word = tuple.getValueByField('word') as string;
      counts.set(word, (counts.get(word) ?? 0) + 1);
      executed++;
    },
  };
  void bolt.prepare?.({} as never, boltCollector(emitter, () => undefined));
  const runner = new BoltRunner(bolt, emitter, out, inbound, (error) => {
    throw error;
  }, undefined);
  for (const { buffer, length } of batches) inbound.push(buffer, length);
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
const spoutNs: number[] = [];
const boltNs: number[] = [];
let bytesPerTuple = 0;
for (let run = 0; run < RUNS; run++) {
  const spout = await spoutRun(words, SPOUT_TUPLES);
  bytesPerTuple = spout.bytes / SPOUT_TUPLES;
  spoutNs.push(spout.cpu / SPOUT_TUPLES);
  const batches = boltInput(words, BOLT_TUPLES);
  const bolt = await boltRun(batches, BOLT_TUPLES);
  boltNs.push(bolt.cpu / BOLT_TUPLES);
  console.log(
    `run ${run + 1}: spout ${(spout.cpu / SPOUT_TUPLES).toFixed(0)} ns/tuple cpu (${(spout.wall / SPOUT_TUPLES).toFixed(0)} wall), bolt ${(bolt.cpu / BOLT_TUPLES).toFixed(0)} ns/tuple cpu (${(bolt.wall / BOLT_TUPLES).toFixed(0)} wall)`,
  );
}
const spoutMedian = median(spoutNs);
const boltMedian = median(boltNs);
console.log(
  JSON.stringify({
    spout_encode_ns_per_tuple: Math.round(spoutMedian),
    spout_encode_tps: Math.round(1e9 / spoutMedian),
    bolt_decode_execute_ns_per_tuple: Math.round(boltMedian),
    bolt_decode_execute_tps: Math.round(1e9 / boltMedian),
    bytes_per_tuple: Number(bytesPerTuple.toFixed(1)),
  }),
);
