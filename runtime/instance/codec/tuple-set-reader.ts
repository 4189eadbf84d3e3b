import type { ValueCodec } from '../serializer/value-codec.js';
import { latin1Slice } from './buffer-strings.js';
import { WireFormatError, WireReader } from './wire-reader.js';

/**
 * Reads HeronTupleSet2 payloads (PROTOCOL.md §3): `{ data = 1: HeronDataTupleSet2 { stream = 1: StreamId; tuples = 2:
 * repeated bytes (each an encoded HeronDataTuple) }; control = 2; src_task_id = 3 }`. One reader walks one payload at
 * a time, tuple by tuple, so a caller can stop between two tuples and resume later.
 */
export class TupleSet2Reader {
  private readonly data = new WireReader();
  private readonly tuple = new WireReader();
  srcTaskId = 0;
  /** Bytes of the tuple {@link next} returned last. */
  tupleBytes = 0;
  streamId = '';
  componentName = '';

  /**
   * Starts on the payload in `bytes[start, end)`. Returns false when it carries no data tuples (a control-only set).
   * Throws {@link WireFormatError} for a payload that is not a HeronTupleSet2.
   */
  begin(bytes: Buffer, start: number, end: number): boolean {
    const r = this.data.reset(bytes, start, end);
    let dataStart = -1;
    let dataEnd = -1;
    let sawTask = false;
    while (!r.done) {
      const tag = r.uint32();
      if (tag === 0x0a) {
        dataEnd = r.lengthDelimited();
        dataStart = r.pos;
        r.pos = dataEnd;
      } else if (tag === 0x18) {
        this.srcTaskId = r.int32();
        sawTask = true;
      } else {
        r.skip(tag & 7);
      }
    }
    if (!sawTask) throw new WireFormatError('HeronTupleSet2 without src_task_id');
    if (dataStart < 0) return false;
    this.readStream(bytes, dataStart, dataEnd);
    r.reset(bytes, dataStart, dataEnd);
    return true;
  }

  /** Finds the StreamId wherever it sits among the tuples (writers put it first). */
  private readStream(bytes: Buffer, start: number, end: number): void {
    const r = this.tuple.reset(bytes, start, end);
    while (!r.done) {
      const tag = r.uint32();
      if (tag !== 0x0a) {
        r.skip(tag & 7);
        continue;
      }
      const streamEnd = r.lengthDelimited();
      let id: string | undefined;
      let component: string | undefined;
      const s = new WireReader(bytes, r.pos, streamEnd);
      while (!s.done) {
        const field = s.uint32();
        if (field === 0x0a) id = s.string();
        else if (field === 0x12) component = s.string();
        else s.skip(field & 7);
      }
      if (id === undefined || component === undefined) throw new WireFormatError('StreamId without id or component_name');
      this.streamId = id;
      this.componentName = component;
      return;
    }
    throw new WireFormatError('HeronDataTupleSet2 without stream');
  }

  /**
   * Decodes the next tuple's values into a new array (one entry per `values` field, through `codec`), or returns
   * undefined at the end of the set.
   */
  next(codec: ValueCodec): unknown[] | undefined {
    const r = this.data;
    while (!r.done) {
      const tag = r.uint32();
      if (tag === 0x12) {
        const tupleEnd = r.lengthDelimited();
        const tupleStart = r.pos;
        r.pos = tupleEnd;
        this.tupleBytes = tupleEnd - tupleStart;
        return this.readValues(r.bytes, tupleStart, tupleEnd, codec);
      }
      r.skip(tag & 7);
    }
    return undefined;
  }

  /** The values of the HeronDataTuple in `bytes[start, end)`; key, roots and dest_task_ids are skipped. */
  private readValues(bytes: Buffer, start: number, end: number, codec: ValueCodec): unknown[] {
    const r = this.tuple.reset(bytes, start, end);
    let values: unknown[] | undefined;
    const asciiTag = codec.asciiTag ?? -1;
    while (r.pos < end) {
      const tag = bytes[r.pos]!;
      if (tag === 0x1a) {
        r.pos++;
        const valueEnd = r.lengthDelimited();
        // The commonest value, read here rather than through the codec.
        const value = bytes[r.pos] === asciiTag && valueEnd > r.pos ? latin1Slice(bytes, r.pos + 1, valueEnd) : codec.read(bytes, r.pos, valueEnd);
        // A literal for the first value: most tuples have one or two, and an empty array would grow on each push.
        if (values === undefined) values = [value];
        else values.push(value);
        r.pos = valueEnd;
      } else if (tag === 0x09) {
        r.pos += 9;
      } else {
        r.skip(r.uint32() & 7);
      }
    }
    if (r.pos !== end) throw new WireFormatError('HeronDataTuple overruns its field');
    return values ?? [];
  }
}
