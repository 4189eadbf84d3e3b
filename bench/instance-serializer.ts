// The default tuple serializer against the obvious alternatives (`node dist/bench/instance-serializer.js`): JSON
// (with Buffer.from on the way out, as a TupleSerializer must return bytes) and node:v8's serialize, on the values
// tuples usually carry. Prints a table (ns per serialize and per deserialize, bytes), then one JSON line.
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import type { TupleSerializer } from '../api/serializer.js';
import { ByteWriter } from '../runtime/instance/codec/byte-writer.js';
import { EgretSerializer } from '../runtime/instance/serializer/egret-serializer.js';
import { readEgretValue } from '../runtime/instance/serializer/egret-value-reader.js';
import { writeEgretValue } from '../runtime/instance/serializer/egret-value-writer.js';

const ITERATIONS = 300_000;
const RUNS = 5;

/**
 * What an instance does with the egret format: write into the frame being built, read from the frame received, no
 * byte array of the value's own. (`serialize` of the TupleSerializer form returns a copy, as its contract says.)
 */
const frame = new ByteWriter(Buffer.alloc(1 << 16));
const inFrame: TupleSerializer = {
  serialize(value) {
    frame.pos = 0;
    writeEgretValue(frame, value);
    return frame.bytes.subarray(0, frame.pos);
  },
  deserialize(bytes) {
    return readEgretValue(bytes as Buffer, 0, bytes.length);
  },
};

const serializers: Record<string, TupleSerializer> = {
  'egret': inFrame,
  'egret-copy': new EgretSerializer(),
  json: { serialize: (v) => Buffer.from(JSON.stringify(v)), deserialize: (b) => JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString()) as unknown },
  v8: { serialize: (v) => v8.serialize(v), deserialize: (b) => v8.deserialize(b) as unknown },
};

const values: Record<string, unknown> = {
  word: 'abcdefghijklmnopqrst',
  'utf8 word': 'ünïcödé wörd ✓',
  int: 4242,
  float: 3.14159,
  record: { word: 'egret', count: 17, ratio: 0.25, tags: ['a', 'b'] },
  'number array': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  'bytes (64)': Buffer.alloc(64, 7),
  bigint: 12345678901234567890n,
};

const cpuNs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1000;
};

/** The least CPU time of RUNS runs of ITERATIONS calls, per call. */
function time(run: () => void): number {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const start = cpuNs();
    for (let i = 0; i < ITERATIONS; i++) run();
    best = Math.min(best, (cpuNs() - start) / ITERATIONS);
  }
  return best;
}

/** Whether the serializer gives `value` back as it was (JSON loses bigints and Buffers, among others). */
function faithful(serializer: TupleSerializer, value: unknown): boolean {
  try {
    return isDeepStrictEqual(serializer.deserialize(Buffer.from(serializer.serialize(value))), value);
  } catch {
    return false;
  }
}

const figures: Record<string, number> = {};
console.log(`${'value'.padEnd(14)} ${'serializer'.padEnd(11)} ${'ser ns'.padStart(7)} ${'de ns'.padStart(7)} ${'bytes'.padStart(6)}`);
for (const [valueName, value] of Object.entries(values)) {
  for (const [name, serializer] of Object.entries(serializers)) {
    if (!faithful(serializer, value)) {
      console.log(`${valueName.padEnd(14)} ${name.padEnd(11)} ${'cannot carry it faithfully'.padStart(22)}`);
      continue;
    }
    const bytes = Buffer.from(serializer.serialize(value));
    const serialize = time(() => serializer.serialize(value));
    const deserialize = time(() => serializer.deserialize(bytes));
    console.log(`${valueName.padEnd(14)} ${name.padEnd(11)} ${serialize.toFixed(0).padStart(7)} ${deserialize.toFixed(0).padStart(7)} ${String(bytes.length).padStart(6)}`);
    const key = `${name}_${valueName}`.replace(/\W+/g, '_').replace(/_+$/, '');
    figures[`${key}_ser_ns`] = Math.round(serialize);
    figures[`${key}_de_ns`] = Math.round(deserialize);
    figures[`${key}_bytes`] = bytes.length;
  }
}
console.log(JSON.stringify(figures));
