import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import Long from 'long';
import { heron } from '../../../core/proto/index.js';
import { encodeFrame, FrameReader } from '../../protocol/frames.js';
import { MessageTypes } from '../../common/message-types.js';
import { ControlSetReader } from './control-set-reader.js';
import { ACKS_TAG, ControlSetWriter, FAILS_TAG } from './control-set-writer.js';
import { WireFormatError } from './wire-reader.js';

const { HeronTupleSet, HeronTupleSet2 } = heron.proto.system;

const int32 = (): fc.Arbitrary<number> => fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
/** An acking record: key halves, then (task id, key low, key high) per root. */
const ackRecord = (): fc.Arbitrary<number[]> =>
  fc.tuple(int32(), int32(), fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), int32(), int32()), { maxLength: 15 })).map(([low, high, roots]) => [low, high, ...roots.flat()]);

function halves(value: number | Long): [number, number] {
  const long = Long.fromValue(value);
  return [long.low, long.high];
}

/** An AckTuple as a record, for comparison. */
function recordOf(ack: heron.proto.system.IAckTuple): number[] {
  return [...halves(ack.ackedtuple), ...(ack.roots ?? []).flatMap((root) => [root.taskid, ...halves(root.key)])];
}

describe('ControlSetWriter', () => {
  it('writes the acks and fails protobufjs reads back, in a HeronTupleSet frame (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), ackRecord()), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (settled, task) => {
        const writer = new ControlSetWriter(task);
        writer.open(new ArrayBuffer(64), 5);
        for (const [acked, record] of settled) writer.add(acked ? ACKS_TAG : FAILS_TAG, record);
        assert.equal(writer.count, settled.length);
        const frame = writer.finish();
        const [parsed, ...rest] = new FrameReader(1 << 30).push(Buffer.from(frame.buffer, frame.start, frame.end - frame.start));
        assert.equal(rest.length, 0);
        assert.equal(parsed?.messageType, MessageTypes.HERON_TUPLE_SET);
        const set = HeronTupleSet.decode(parsed!.payload);
        assert.equal(set.srcTaskId, task);
        assert.equal(set.data, null);
        assert.deepEqual(
          (set.control?.acks ?? []).map(recordOf),
          settled.filter(([acked]) => acked).map(([, record]) => record),
        );
        assert.deepEqual(
          (set.control?.fails ?? []).map(recordOf),
          settled.filter(([acked]) => !acked).map(([, record]) => record),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('ControlSetReader', () => {
  function controlFrame(acks: ReadonlyArray<readonly number[]>, fails: ReadonlyArray<readonly number[]>, emits: ReadonlyArray<readonly number[]> = []): Buffer {
    const ack = (roots: readonly number[]) => ({
      roots: Array.from({ length: roots.length / 3 }, (_, i) => ({ taskid: roots[3 * i]!, key: Long.fromBits(roots[3 * i + 1]!, roots[3 * i + 2]!) })),
      ackedtuple: 0,
    });
    return encodeFrame(MessageTypes.HERON_TUPLE_SET2, HeronTupleSet2.encode({ control: { acks: acks.map(ack), fails: fails.map(ack), emits: emits.map(ack) }, srcTaskId: 7 }).finish());
  }

  function readAll(bytes: Buffer, task = 7): Array<[boolean, number, number]> {
    const read: Array<[boolean, number, number]> = [];
    new ControlSetReader(task).readFrames(bytes, bytes.length, (acked, low, high) => read.push([acked, low, high]));
    return read;
  }

  it("reads the acks and fails of its own task's roots, across frames, skipping emits, others' roots and other frames (property)", () => {
    const rootsOf = () => fc.array(fc.tuple(fc.constantFrom(7, 8), int32(), int32()), { maxLength: 4 }).map((roots) => roots.flat());
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(rootsOf(), { maxLength: 5 }), fc.array(rootsOf(), { maxLength: 5 })), { maxLength: 5 }), (sets) => {
        const frames = sets.flatMap(([acks, fails]) => [controlFrame(acks, fails, acks), encodeFrame(MessageTypes.NEW_INSTANCE_ASSIGNMENT, Buffer.from([1, 2, 3]))]);
        const expected = sets.flatMap(([acks, fails]) =>
          [...acks.map((r) => [true, r] as const), ...fails.map((r) => [false, r] as const)].flatMap(([acked, roots]) => {
            const own: Array<[boolean, number, number]> = [];
            for (let i = 0; i < roots.length; i += 3) if (roots[i] === 7) own.push([acked, roots[i + 1]!, roots[i + 2]!]);
            return own;
          }),
        );
        assert.deepEqual(readAll(Buffer.concat(frames)), expected);
      }),
      { numRuns: 200 },
    );
  });

  it('reads what a ControlSetWriter wrote, as the stream manager would forward it', () => {
    const writer = new ControlSetWriter(3);
    writer.open(new ArrayBuffer(256), 0);
    writer.add(ACKS_TAG, [0, 0, 7, -1, 2 ** 31 - 1]);
    writer.add(FAILS_TAG, [0, 0, 7, 5, 6]);
    const frame = writer.finish();
    const [parsed] = new FrameReader(1 << 20).push(Buffer.from(frame.buffer, frame.start, frame.end - frame.start));
    const forwarded = encodeFrame(MessageTypes.HERON_TUPLE_SET2, parsed!.payload);
    assert.deepEqual(readAll(forwarded), [
      [true, -1, 2 ** 31 - 1],
      [false, 5, 6],
    ]);
  });

  it('throws WireFormatError, and nothing else, for damaged payloads (property)', () => {
    const good = controlFrame([[7, 1, 2]], [[7, 3, 4, 7, 5, 6]]);
    const payloadAt = 4 + 4 + MessageTypes.HERON_TUPLE_SET2.length + 32 + 4;
    const payload = good.subarray(payloadAt);
    fc.assert(
      fc.property(fc.nat(payload.length - 1), fc.nat(255), fc.nat(payload.length), (at, byte, cut) => {
        const damaged = Buffer.from(payload);
        damaged[at] = byte;
        for (const bytes of [damaged, damaged.subarray(0, cut)]) {
          try {
            new ControlSetReader(7).readPayload(bytes, 0, bytes.length, () => undefined);
          } catch (error) {
            assert.ok(error instanceof WireFormatError, String(error));
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
