import type { Values } from '../../../api/tuple.js';
import { NO_REQUEST_ID } from '../../protocol/frames.js';
import type { ValueCodec } from '../serializer/value-codec.js';
import { ByteWriter, varintSize, writeUint32Varint } from './byte-writer.js';
import { MessageTypes } from '../../common/message-types.js';

/** A finished frame: `buffer[start, end)` holds it, header included. */
export interface FinishedFrame {
  readonly buffer: ArrayBuffer;
  readonly start: number;
  readonly end: number;
}

const TYPE = Buffer.from(MessageTypes.HERON_TUPLE_SET, 'latin1');
/** Bytes 4 to 76 of every HeronTupleSet frame: the type's length, the type, the all-zero request id. */
const HEADER_TEMPLATE = Buffer.concat([Buffer.from([0, 0, 0, TYPE.length]), TYPE, NO_REQUEST_ID]);
/** size, the template, payload_len. */
const HEADER_BYTES = 4 + HEADER_TEMPLATE.length + 4;
/**
 * Where the HeronDataTupleSet starts: after the header and room for `data`'s tag and longest length. The header is
 * written right-aligned against the data when the frame is finished, so the frame starts a few bytes in and no
 * byte of the data ever moves.
 */
export const DATA_AT = HEADER_BYTES + 1 + 5;
/** Room for the trailing src_task_id field. */
const TRAILER_BYTES = 1 + 5;
/** Strings up to this long are written here when the codec allows (their field length then fits one byte). */
const INLINE_STRING = 48;

/**
 * Builds HeronTupleSet frames (PROTOCOL.md §3) of one stream of one task, encoding each tuple as it is emitted:
 * `HeronTupleSet { data = 1: HeronDataTupleSet { stream = 1; tuples = 2 ... }; src_task_id = 3 }`, with key 0 and no
 * roots (ATMOST_ONCE). Lengths are written as minimal varints once known (see {@link ByteWriter.finishLength}).
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
   * Appends one tuple to the open frame: its values through the codec, then `destCount` entries of `dests`. On a
   * throw (a value the codec refuses, see {@link failedField}) the frame is left as it was before the call.
   */
  write(values: Values, dests: readonly number[], destCount: number): void {
    const w = this.writer!;
    const start = w.pos;
    this.failedField = -1;
    w.ensure(11);
    const b = w.bytes;
    let p = start;
    b[p++] = 0x12;
    const lengthAt = p++;
    // key = 1 (sfixed64): 0 under ATMOST_ONCE; the SM writes a fresh one per copy under acking.
    b[p++] = 0x09;
    for (let i = 0; i < 8; i++) b[p++] = 0;
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
    const b = w.bytes;
    const dataLength = w.pos - DATA_AT;
    b[w.pos++] = 0x18;
    const end = writeUint32Varint(b, w.pos, this.srcTaskId);
    const payloadStart = DATA_AT - 1 - varintSize(dataLength);
    const frameStart = payloadStart - HEADER_BYTES;
    b.writeUInt32BE(end - frameStart - 4, frameStart);
    b.set(HEADER_TEMPLATE, frameStart + 4);
    b.writeUInt32BE(end - payloadStart, frameStart + 4 + HEADER_TEMPLATE.length);
    b[payloadStart] = 0x0a;
    writeUint32Varint(b, payloadStart + 1, dataLength);
    return { buffer: b.buffer as ArrayBuffer, start: b.byteOffset + frameStart, end: b.byteOffset + end };
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
