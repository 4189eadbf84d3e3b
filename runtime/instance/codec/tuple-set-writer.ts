import type { Values } from '../../../api/tuple.js';
import type { ValueCodec } from '../serializer/value-codec.js';
import { ByteWriter, writeUint32Varint } from './byte-writer.js';
import { CONTENT_AT as DATA_AT, DATA_FIELD_TAG, finishTupleSet, ROOT_ID_BYTES, TRAILER_BYTES, writeFixed64, writeRootId, type FinishedFrame } from './tuple-set-frame.js';

export type { FinishedFrame } from './tuple-set-frame.js';

/** No roots: the emits of ATMOST_ONCE topologies and the untracked ones of ATLEAST_ONCE. */
export const NO_ROOTS: readonly number[] = [];
/** Strings up to this long are written here when the codec allows (their field length then fits one byte). */
const INLINE_STRING = 48;

/**
 * Builds HeronTupleSet frames (PROTOCOL.md §3) of one stream of one task, encoding each tuple as it is emitted:
 * `HeronTupleSet { data = 1: HeronDataTupleSet { stream = 1; tuples = 2 ... }; src_task_id = 3 }`. A tuple carries the
 * roots it is given (ATLEAST_ONCE, §7) and key {@link keyLow}/{@link keyHigh}, 0 unless a test plays the stream
 * manager. Lengths are written as minimal varints once known (see {@link ByteWriter.finishLength}).
 */
export class TupleSetWriter {
  private readonly streamField: Buffer;
  private writer: ByteWriter | null = null;
  /** Tuples in the open frame. */
  tuples = 0;
  /** When the open frame got its first tuple (the caller's clock). */
  openedAt = 0;
  /** The field index whose value failed to serialize in the last {@link write} that threw, else -1. */
  failedField = -1;
  /**
   * The key written into every tuple, as two signed 32-bit halves (Long's `low` and `high`). Instances send 0 (the
   * stream manager writes one per routed copy); tests standing in for the stream manager set others.
   */
  keyLow = 0;
  keyHigh = 0;

  constructor(
    readonly streamId: string,
    readonly componentName: string,
    private readonly srcTaskId: number,
    private readonly codec: ValueCodec,
  ) {
    const w = new ByteWriter(Buffer.alloc(64));
    w.byte(0x0a);
    const streamAt = w.reserveLength();
    writeStringField(w, 0x0a, streamId);
    writeStringField(w, 0x12, componentName);
    w.finishLength(streamAt);
    this.streamField = Buffer.from(w.bytes.subarray(0, w.pos));
  }

  /** True while a frame is open (it may hold no tuple yet). */
  get isOpen(): boolean {
    return this.writer !== null;
  }

  /** Bytes of tuples in the open frame. */
  get dataBytes(): number {
    return this.writer === null ? 0 : this.writer.pos - DATA_AT - this.streamField.length;
  }

  /** Bytes the open frame would have if finished now. */
  get frameBytes(): number {
    return this.writer === null ? 0 : this.writer.pos + TRAILER_BYTES;
  }

  /** Starts a frame in `buffer` (its whole ArrayBuffer, which the frame then owns until {@link finish}). */
  open(buffer: ArrayBuffer, now: number): void {
    const w = new ByteWriter(Buffer.from(buffer), DATA_AT);
    w.ensure(this.streamField.length);
    w.bytes.set(this.streamField, DATA_AT);
    w.pos += this.streamField.length;
    this.writer = w;
    this.tuples = 0;
    this.openedAt = now;
  }

  /**
   * Appends one tuple to the open frame: its roots (the RootIds `roots[rootsFrom, rootsTo)` as (task id, key low,
   * key high) triples), its values through the codec, then `destCount` entries of `dests`. On a throw (a value the
   * codec refuses, see {@link failedField}) the frame is left as it was before the call.
   */
  write(values: Values, dests: readonly number[], destCount: number, roots: readonly number[] = NO_ROOTS, rootsFrom = 0, rootsTo = 0): void {
    const w = this.writer!;
    const start = w.pos;
    this.failedField = -1;
    w.ensure(11 + ((rootsTo - rootsFrom) / 3) * ROOT_ID_BYTES);
    const b = w.bytes;
    let p = start;
    b[p++] = 0x12;
    const lengthAt = p++;
    // key = 1 (sfixed64): 0 from an instance; the SM writes a fresh one per copy under acking.
    b[p++] = 0x09;
    p = writeFixed64(b, p, this.keyLow, this.keyHigh);
    // roots = 2, before the values as protobuf orders fields.
    for (let i = rootsFrom; i < rootsTo; i += 3) p = writeRootId(b, p, 0x12, roots[i]!, roots[i + 1]!, roots[i + 2]!);
    w.pos = p;
    const codec = this.codec;
    const asciiTag = codec.asciiTag ?? -1;
    let field = 0;
    try {
      for (; field < values.length; field++) {
        const value = values[field];
        if (asciiTag >= 0 && typeof value === 'string' && value.length <= INLINE_STRING && this.writeAscii(w, value, asciiTag)) continue;
        w.ensure(2);
        w.bytes[w.pos++] = 0x1a;
        const valueAt = w.pos++;
        codec.write(w, value);
        w.finishLength(valueAt);
      }
    } catch (error) {
      this.failedField = field;
      w.pos = start;
      throw error;
    }
    if (destCount > 0) {
      w.ensure(destCount * 6);
      const db = w.bytes;
      let dp = w.pos;
      for (let i = 0; i < destCount; i++) {
        db[dp++] = 0x20;
        dp = writeUint32Varint(db, dp, dests[i]!);
      }
      w.pos = dp;
    }
    w.finishLength(lengthAt);
    this.tuples++;
  }

  /** Writes `values = 3` holding an ASCII string in the codec's format; false (nothing written) if it is not ASCII. */
  private writeAscii(w: ByteWriter, s: string, tag: number): boolean {
    const n = s.length;
    w.ensure(n + 3);
    const b = w.bytes;
    const start = w.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      b[start + 3 + i] = c;
    }
    b[start] = 0x1a;
    b[start + 1] = n + 1;
    b[start + 2] = tag;
    w.pos = start + 3 + n;
    return true;
  }

  /** Drops the tuples written since `frameBytes` was `bytes` (to move a tuple that made the frame too big). */
  rewindTo(bytes: number): void {
    const w = this.writer!;
    w.pos = bytes - TRAILER_BYTES;
    this.tuples--;
  }

  /** Completes the open frame and hands its buffer over; the writer then has no frame open. */
  finish(): FinishedFrame {
    const w = this.writer!;
    this.writer = null;
    w.ensure(TRAILER_BYTES);
    return finishTupleSet(w.bytes, w.pos, DATA_FIELD_TAG, this.srcTaskId);
  }
}

function writeStringField(w: ByteWriter, tag: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  w.ensure(bytes.length + 6);
  w.byte(tag);
  w.uint32(bytes.length);
  w.bytes.set(bytes, w.pos);
  w.pos += bytes.length;
}
