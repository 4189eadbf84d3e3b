import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import Long from 'long';
import { heron } from '../../../core/proto/index.js';
import { egretValue } from '../../../test/instance/value-arbitraries.js';
import { FrameReader } from '../../protocol/frames.js';
import { EgretSerializer } from '../serializer/egret-serializer.js';
import { egretValueCodec } from '../serializer/value-codec.js';
import { TupleSet2Reader } from './tuple-set-reader.js';
import { TupleSetWriter } from './tuple-set-writer.js';
import { WireFormatError } from './wire-reader.js';

const { HeronTupleSet2, HeronDataTuple, HeronTupleSet } = heron.proto.system;
const serializer = new EgretSerializer();

function readAll(payload: Uint8Array, records: Array<number[] | null> = []): { srcTaskId: number; stream: string; component: string; tuples: unknown[][] } | undefined {
  const bytes = Buffer.from(payload);
  const reader = new TupleSet2Reader();
  if (!reader.begin(bytes, 0, bytes.length)) return undefined;
  const tuples: unknown[][] = [];
  for (let values = reader.next(egretValueCodec); values !== undefined; values = reader.next(egretValueCodec)) {
    tuples.push(values);
    records.push(reader.record);
  }
  return { srcTaskId: reader.srcTaskId, stream: reader.streamId, component: reader.componentName, tuples };
}

function encodeTupleSet2(stream: string, component: string, srcTaskId: number, tuples: ReadonlyArray<readonly unknown[]>, extra: Partial<heron.proto.system.HeronDataTuple.$Properties> = {}): Uint8Array {
  const encoded = tuples.map((values) => HeronDataTuple.encode({ key: 0, values: values.map((v) => serializer.serialize(v)), ...extra }).finish());
  return HeronTupleSet2.encode({ data: { stream: { id: stream, componentName: component }, tuples: encoded }, srcTaskId }).finish();
}

describe('TupleSet2Reader', () => {
  it('reads what protobufjs writes (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.array(fc.array(egretValue(), { maxLength: 4 }), { maxLength: 20 }), (stream, component, task, tuples) => {
        assert.deepEqual(readAll(encodeTupleSet2(stream, component, task, tuples)), { srcTaskId: task, stream, component, tuples });
      }),
      { numRuns: 300 },
    );
  });

  it('reads keys and roots into the acking record, and gives none for a tuple with neither (property)', () => {
    const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    const root = fc.record({ taskid: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), low: int32, high: int32 });
    fc.assert(
      fc.property(fc.array(fc.record({ low: int32, high: int32, roots: fc.array(root, { maxLength: 5 }) }), { maxLength: 10 }), (tuples) => {
        const encoded = tuples.map(({ low, high, roots }) =>
          HeronDataTuple.encode({
            key: Long.fromBits(low, high),
            roots: roots.map((r) => ({ taskid: r.taskid, key: Long.fromBits(r.low, r.high) })),
            values: [serializer.serialize(1)],
          }).finish(),
        );
        const payload = HeronTupleSet2.encode({ data: { stream: { id: 's', componentName: 'c' }, tuples: encoded }, srcTaskId: 1 }).finish();
        const records: Array<number[] | null> = [];
        readAll(payload, records);
        assert.deepEqual(
          records,
          tuples.map(({ low, high, roots }) => (roots.length === 0 && low === 0 && high === 0 ? null : [low, high, ...roots.flatMap((r) => [r.taskid, r.low, r.high])])),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('skips destinations, packed or not, and fields it does not know', () => {
    const withRoots = encodeTupleSet2('s', 'c', 4, [['x', 1]], { key: -5, roots: [{ taskid: 3, key: 99 }], destTaskIds: [1, 2] });
    const records: Array<number[] | null> = [];
    assert.deepEqual(readAll(withRoots, records)?.tuples, [['x', 1]]);
    assert.deepEqual(records, [[-5, -1, 3, 99, 0]]);
    // dest_task_ids packed (wire type 2) and an unknown field 9, hand-written.
    const tuple = Buffer.concat([Buffer.from([0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a, 2, 0x04, 0x02, 0x22, 2, 1, 2, 0x4a, 1, 0xff])]);
    const payload = HeronTupleSet2.encode({ data: { stream: { id: 's', componentName: 'c' }, tuples: [tuple] }, srcTaskId: 1 }).finish();
    assert.deepEqual(readAll(payload)?.tuples, [[1]]);
  });

  it('finds the stream after the tuples, and reads a control-only set as no data', () => {
    const tuple = HeronDataTuple.encode({ key: 0, values: [serializer.serialize('v')] }).finish();
    const stream = heron.proto.api.StreamId.encode({ id: 'late', componentName: 'c' }).finish();
    const data = Buffer.concat([Buffer.from([0x12, tuple.length]), tuple, Buffer.from([0x0a, stream.length]), stream]);
    const payload = Buffer.concat([Buffer.from([0x0a, data.length]), data, Buffer.from([0x18, 7])]);
    assert.deepEqual(readAll(payload), { srcTaskId: 7, stream: 'late', component: 'c', tuples: [['v']] });
    assert.equal(readAll(HeronTupleSet2.encode({ control: { acks: [] }, srcTaskId: 2 }).finish()), undefined);
  });

  it('reads the tuples a TupleSetWriter wrote, as the stream manager forwards them', () => {
    const writer = new TupleSetWriter('words', 'spout', 9, egretValueCodec);
    writer.open(new ArrayBuffer(64), 0);
    writer.write(['a', 1n], [3], 1);
    writer.write([{ k: [true] }, null], [], 0);
    const frame = writer.finish();
    const [parsed] = new FrameReader(1 << 20).push(Buffer.from(frame.buffer, frame.start, frame.end - frame.start));
    const set = HeronTupleSet.decode(parsed!.payload);
    const forwarded = HeronTupleSet2.encode({
      data: { stream: set.data!.stream, tuples: set.data!.tuples!.map((t) => HeronDataTuple.encode(t).finish()) },
      srcTaskId: set.srcTaskId,
    }).finish();
    assert.deepEqual(readAll(forwarded), { srcTaskId: 9, stream: 'words', component: 'spout', tuples: [['a', 1n], [{ k: [true] }, null]] });
  });

  it('throws WireFormatError, and nothing else, for damaged payloads (property)', () => {
    const good = Buffer.from(encodeTupleSet2('stream', 'component', 3, [['a', 2], [{ b: 'c' }]]));
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.nat(255), fc.nat(good.length), (at, byte, cut) => {
        const damaged = Buffer.from(good);
        damaged[at] = byte;
        for (const payload of [damaged, damaged.subarray(0, cut)]) {
          try {
            readAll(payload);
          } catch (error) {
            assert.ok(error instanceof WireFormatError, String(error));
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
