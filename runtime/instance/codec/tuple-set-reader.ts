import type { ValueCodec } from '../serializer/value-codec.js';
import { latin1Slice } from './buffer-strings.js';
import { readInt32LE } from './tuple-set-frame.js';
import { WireFormatError, WireReader } from './wire-reader.js';

/**
 * What acking needs of a received tuple (PROTOCOL.md §7): `[key low, key high, (root task id, root key low, root key
 * high)...]`, 64-bit values as two signed 32-bit halves (Long's `low` and `high`). One array of numbers, which V8
 * stores unboxed, rather than objects: a tuple under ATLEAST_ONCE costs one allocation for it.
 */
export type AckRecord = number[];

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
  /** The key and roots of the tuple {@link next} returned last; null when it has neither (ATMOST_ONCE). */
  record: AckRecord | null = null;
  private readonly root = new WireReader();
  private rootTask = 0;
  private rootLow = 0;
  private rootHigh = 0;

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

  /** The values of the HeronDataTuple in `bytes[start, end)`, its key and roots into {@link record}; dest_task_ids are skipped. */
  private readValues(bytes: Buffer, start: number, end: number, codec: ValueCodec): unknown[] {
    const r = this.tuple.reset(bytes, start, end);
    let values: unknown[] | undefined;
    let record: AckRecord | null = null;
    let keyLow = 0;
    let keyHigh = 0;
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
        keyLow = readInt32LE(bytes, r.pos + 1);
        keyHigh = readInt32LE(bytes, r.pos + 5);
        r.pos += 9;
      } else if (tag === 0x12) {
        if (!this.readShortRoot(bytes, r.pos, end)) {
          r.pos++;
          this.readRoot(r);
        } else {
          r.pos += 2 + bytes[r.pos + 1]!;
        }
        // Sized for the common single root at once: growing a [key, key] array by push would copy it.
        if (record === null) record = [0, 0, this.rootTask, this.rootLow, this.rootHigh];
        else record.push(this.rootTask, this.rootLow, this.rootHigh);
      } else {
        r.skip(r.uint32() & 7);
      }
    }
    if (r.pos !== end) throw new WireFormatError('HeronDataTuple overruns its field');
    if (record !== null) {
      record[0] = keyLow;
      record[1] = keyHigh;
    } else if ((keyLow | keyHigh) !== 0) {
      record = [keyLow, keyHigh];
    }
    this.record = record;
    return values ?? [];
  }

  /**
   * Reads the RootId field at `p` in the form writers use, `{ taskid = 1 (under 2^14), key = 2 }`, into rootTask,
   * rootLow and rootHigh; false (nothing read) for any other form, left to {@link readRoot}. One root per tuple is
   * the common case, and this is about half the cost of the general reader.
   */
  private readShortRoot(b: Buffer, p: number, end: number): boolean {
    const length = b[p + 1]!;
    if (b[p + 2] !== 0x08 || p + 2 + length > end) return false;
    let task = b[p + 3]!;
    let q = p + 4;
    if (task >= 0x80) {
      const next = b[q++]!;
      if (next >= 0x80) return false;
      task = (task & 0x7f) | (next << 7);
    }
    if (b[q] !== 0x11 || q + 9 !== p + 2 + length) return false;
    this.rootTask = task;
    this.rootLow = readInt32LE(b, q + 1);
    this.rootHigh = readInt32LE(b, q + 5);
    return true;
  }

  /** Reads the RootId at `r` (after its tag) into rootTask, rootLow and rootHigh. */
  private readRoot(r: WireReader): void {
    const rootEnd = r.lengthDelimited();
    const s = this.root.reset(r.bytes, r.pos, rootEnd);
    let task: number | undefined;
    let low = 0;
    let high = 0;
    let sawKey = false;
    while (!s.done) {
      const field = s.uint32();
      if (field === 0x08) {
        task = s.int32();
      } else if (field === 0x11) {
        if (s.pos + 8 > rootEnd) throw new WireFormatError('truncated RootId key');
        low = readInt32LE(s.bytes, s.pos);
        high = readInt32LE(s.bytes, s.pos + 4);
        s.pos += 8;
        sawKey = true;
      } else {
        s.skip(field & 7);
      }
    }
    if (task === undefined || !sawKey) throw new WireFormatError('RootId without taskid or key');
    this.rootTask = task;
    this.rootLow = low;
    this.rootHigh = high;
    r.pos = rootEnd;
  }
}
