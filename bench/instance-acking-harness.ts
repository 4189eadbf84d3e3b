// The stream manager's side of acking for bench/instance-codec.ts (PROTOCOL.md §7), kept out of the measured cost:
// input frames whose tuples carry a key and a root, and a sink that acks every root a spout's frame carries.
import { heron } from '../core/proto/index.js';
import { ACKS_TAG, ControlSetWriter } from '../runtime/instance/codec/control-set-writer.js';
import { readInt32LE } from '../runtime/instance/codec/tuple-set-frame.js';
import { TupleSetWriter, type FinishedFrame } from '../runtime/instance/codec/tuple-set-writer.js';
import { WireReader } from '../runtime/instance/codec/wire-reader.js';
import { egretValueCodec } from '../runtime/instance/serializer/value-codec.js';
import { encodeFrame } from '../runtime/protocol/frames.js';

const TUPLE_SET2 = 'heron.proto.system.HeronTupleSet2';
/** Bytes before the payload of a HeronTupleSet frame: size, type length, type, request id, payload length. */
const PAYLOAD_AT = 4 + 4 + 'heron.proto.system.HeronTupleSet'.length + 32 + 4;

/**
 * Acks every root of the HeronTupleSet frames a spout sends, at once, as its stream manager would once every tuple
 * tree completed: one HeronTupleSet2 control frame per data frame, handed to `deliver`. Its own time is summed in
 * {@link harnessMs}, to be taken out of the spout's.
 */
export class AckingSink {
  harnessMs = 0;
  roots = 0;
  private readonly data = new WireReader();
  private readonly tuple = new WireReader();
  private readonly record = [0, 0, 0, 0, 0];
  private readonly writer: ControlSetWriter;

  constructor(
    srcTaskId: number,
    private readonly deliver: (frame: Buffer) => void,
  ) {
    this.writer = new ControlSetWriter(srcTaskId);
  }

  /** Takes one frame the spout sent. */
  onFrame(frame: FinishedFrame): void {
    const started = performance.now();
    const bytes = Buffer.from(frame.buffer, frame.start, frame.end - frame.start);
    this.writer.open(new ArrayBuffer(64 * 1024), 0);
    const r = this.data.reset(bytes, PAYLOAD_AT, bytes.length);
    while (!r.done) {
      const tag = r.uint32();
      if (tag !== 0x0a) {
        r.skip(tag & 7);
        continue;
      }
      const dataEnd = r.lengthDelimited();
      while (r.pos < dataEnd) {
        const field = r.uint32();
        if (field === 0x12) this.ackRoots(bytes, r);
        else r.skip(field & 7);
      }
    }
    const finished = this.writer.finish();
    const ackFrame = encodeFrame(TUPLE_SET2, Buffer.from(finished.buffer, finished.start + PAYLOAD_AT, finished.end - finished.start - PAYLOAD_AT));
    this.harnessMs += performance.now() - started;
    this.deliver(ackFrame);
  }

  private ackRoots(bytes: Buffer, r: WireReader): void {
    const tupleEnd = r.lengthDelimited();
    const t = this.tuple.reset(bytes, r.pos, tupleEnd);
    while (!t.done) {
      const field = t.uint32();
      if (field !== 0x12) {
        t.skip(field & 7);
        continue;
      }
      const rootEnd = t.lengthDelimited();
      t.uint32();
      const task = t.int32();
      t.uint32();
      this.record[2] = task;
      this.record[3] = readInt32LE(bytes, t.pos);
      this.record[4] = readInt32LE(bytes, t.pos + 4);
      this.writer.add(ACKS_TAG, this.record);
      this.roots++;
      t.pos = rootEnd;
    }
    r.pos = tupleEnd;
  }
}

/**
 * HeronTupleSet2 frames of one-field tuples (`words`), as a stream manager sends them to a bolt, packed into 512 KiB
 * batch buffers; under acking each tuple carries a key and one root of task 1.
 */
export function boltBatches(words: readonly string[], count: number, acking: boolean): Array<{ buffer: ArrayBuffer; length: number }> {
  const perFrame = 2000;
  const frames: Buffer[] = [];
  const root = [1, 0, 0];
  for (let first = 0; first < count; first += perFrame) {
    const writer = new TupleSetWriter('default', 'word', 1, egretValueCodec);
    writer.open(new ArrayBuffer(128 * 1024), 0);
    for (let i = first; i < Math.min(count, first + perFrame); i++) {
      if (acking) {
        writer.keyLow = (i * 2654435761) | 0;
        writer.keyHigh = i + 1;
        root[1] = (i * 40503) | 0;
        root[2] = ~i;
        writer.write([words[i % words.length]], [], 0, root, 0, 3);
      } else {
        writer.write([words[i % words.length]], [], 0);
      }
    }
    const frame = writer.finish();
    const set = heron.proto.system.HeronTupleSet.decode(new Uint8Array(frame.buffer, frame.start + PAYLOAD_AT, frame.end - frame.start - PAYLOAD_AT));
    const tuples = set.data!.tuples!.map((t) => heron.proto.system.HeronDataTuple.encode(t).finish());
    frames.push(encodeFrame(TUPLE_SET2, heron.proto.system.HeronTupleSet2.encode({ data: { stream: set.data!.stream, tuples }, srcTaskId: 1 }).finish()));
  }
  const batches: Array<{ buffer: ArrayBuffer; length: number }> = [];
  let current: Buffer[] = [];
  let bytes = 0;
  const close = (): void => {
    const buffer = new ArrayBuffer(bytes);
    Buffer.concat(current).copy(Buffer.from(buffer));
    batches.push({ buffer, length: bytes });
    current = [];
    bytes = 0;
  };
  for (const frame of frames) {
    if (bytes + frame.length > 512 * 1024) close();
    current.push(frame);
    bytes += frame.length;
  }
  if (bytes > 0) close();
  return batches;
}
