import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import Long from 'long';
import { heron } from '../../../core/proto/index.js';
import { egretValue } from '../../../test/instance/value-arbitraries.js';
import { FrameReader } from '../../protocol/frames.js';
import { EgretSerializer } from '../serializer/egret-serializer.js';
import { UnserializableValueError } from '../serializer/unserializable-value-error.js';
import { egretValueCodec } from '../serializer/value-codec.js';
import { MessageTypes } from '../../common/message-types.js';
import { TupleSetWriter, type FinishedFrame } from './tuple-set-writer.js';

const { HeronTupleSet } = heron.proto.system;
const serializer = new EgretSerializer();

interface Emitted {
  readonly values: readonly unknown[];
  readonly dests: readonly number[];
}

function writeFrame(stream: string, component: string, task: number, tuples: readonly Emitted[], bufferBytes = 128): FinishedFrame {
  const writer = new TupleSetWriter(stream, component, task, egretValueCodec);
  writer.open(new ArrayBuffer(bufferBytes), 0);
  for (const tuple of tuples) writer.write(tuple.values, tuple.dests, tuple.dests.length);
  return writer.finish();
}

function frameBytes(frame: FinishedFrame): Buffer {
  return Buffer.from(frame.buffer, frame.start, frame.end - frame.start);
}

function decode(frame: FinishedFrame): { type: string; requestId: Buffer; payload: Buffer; message: heron.proto.system.HeronTupleSet } {
  const [parsed, ...rest] = new FrameReader(1 << 30).push(frameBytes(frame));
  assert.ok(parsed);
  assert.equal(rest.length, 0);
  return { type: parsed.messageType, requestId: parsed.requestId, payload: parsed.payload, message: HeronTupleSet.decode(parsed.payload) };
}

const emitted = (): fc.Arbitrary<Emitted> =>
  fc.record({ values: fc.array(egretValue(), { maxLength: 4 }), dests: fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 4 }) });

/** A Long (or number) as the two signed halves the codec uses. */
function halves(value: number | Long): [number, number] {
  const long = Long.fromValue(value);
  return [long.low, long.high];
}

const int32 = (): fc.Arbitrary<number> => fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
/** Roots as the writer takes them: (task id, key low, key high) triples. */
const rootTriples = (): fc.Arbitrary<number[]> => fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), int32(), int32()), { maxLength: 12 }).map((roots) => roots.flat());

describe('TupleSetWriter', () => {
  it("writes frames protobufjs decodes, byte for byte as protobufjs would write them (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.array(emitted(), { maxLength: 20 }), (stream, component, task, tuples) => {
        const frame = writeFrame(stream, component, task, tuples);
        const { type, requestId, payload, message } = decode(frame);
        assert.equal(type, MessageTypes.HERON_TUPLE_SET);
        assert.deepEqual([...requestId], new Array(32).fill(0));
        assert.equal(message.srcTaskId, task);
        assert.equal(message.data?.stream.id, stream);
        assert.equal(message.data?.stream.componentName, component);
        assert.equal(message.data?.tuples?.length, tuples.length);
        message.data!.tuples!.forEach((tuple, i) => {
          assert.equal(String(tuple.key), '0');
          assert.deepEqual(tuple.roots, []);
          assert.deepEqual(tuple.destTaskIds, tuples[i]?.dests);
          assert.deepEqual(
            tuple.values!.map((bytes) => serializer.deserialize(bytes)),
            tuples[i]?.values,
          );
        });
        // Minimal varints and field order: protobufjs re-encodes the decoded message to the very same bytes.
        assert.deepEqual(Buffer.from(HeronTupleSet.encode(message).finish()), payload);
      }),
      { numRuns: 300 },
    );
  });

  it('writes roots and keys protobufjs reads back, byte for byte as it would write them (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(rootTriples(), int32(), int32(), fc.array(egretValue(), { maxLength: 3 })), { maxLength: 10 }), (tuples) => {
        const writer = new TupleSetWriter('s', 'c', 4, egretValueCodec);
        writer.open(new ArrayBuffer(64), 0);
        for (const [roots, low, high, values] of tuples) {
          writer.keyLow = low;
          writer.keyHigh = high;
          // Roots from the middle of a longer array, as a bolt lends its input's acking record.
          writer.write(values, [], 0, [9, 9, ...roots], 2, roots.length + 2);
        }
        const { payload, message } = decode(writer.finish());
        message.data!.tuples!.forEach((tuple, i) => {
          const [roots, low, high, values] = tuples[i]!;
          assert.deepEqual(halves(tuple.key), [low, high]);
          assert.deepEqual(
            tuple.roots!.flatMap((root) => [root.taskid, ...halves(root.key)]),
            roots,
          );
          assert.deepEqual(
            tuple.values!.map((bytes) => serializer.deserialize(bytes)),
            values,
          );
        });
        assert.deepEqual(Buffer.from(HeronTupleSet.encode(message).finish()), payload);
      }),
      { numRuns: 300 },
    );
  });

  it('moves fields whose length needs two or three varint bytes, and grows its buffer', () => {
    const values = ['a'.repeat(127), 'b'.repeat(128), 'c'.repeat(20_000), Buffer.alloc(300_000, 7)];
    const frame = writeFrame('default', 'spout', 3, [{ values, dests: [] }], 64);
    const { payload, message } = decode(frame);
    assert.deepEqual(
      message.data!.tuples![0]!.values!.map((bytes) => serializer.deserialize(bytes)),
      values,
    );
    assert.deepEqual(Buffer.from(HeronTupleSet.encode(message).finish()), payload);
  });

  it('leaves the frame as it was when a value cannot be serialized, and names the field', () => {
    const writer = new TupleSetWriter('default', 'spout', 1, egretValueCodec);
    writer.open(new ArrayBuffer(256), 0);
    writer.write(['ok'], [], 0);
    const before = writer.frameBytes;
    assert.throws(() => writer.write(['fine', () => 1], [], 0), UnserializableValueError);
    assert.equal(writer.failedField, 1);
    assert.equal(writer.frameBytes, before);
    writer.write(['after'], [5], 1);
    const { message } = decode(writer.finish());
    assert.deepEqual(
      message.data!.tuples!.map((tuple) => tuple.values!.map((bytes) => serializer.deserialize(bytes))),
      [['ok'], ['after']],
    );
    assert.deepEqual(message.data!.tuples![1]!.destTaskIds, [5]);
  });

  it('rewinds the last tuple', () => {
    const writer = new TupleSetWriter('s', 'c', 2, egretValueCodec);
    writer.open(new ArrayBuffer(256), 0);
    writer.write(['one'], [], 0);
    const before = writer.frameBytes;
    writer.write(['two'], [], 0);
    writer.rewindTo(before);
    assert.equal(writer.tuples, 1);
    const { message } = decode(writer.finish());
    assert.equal(message.data?.tuples?.length, 1);
  });
});
