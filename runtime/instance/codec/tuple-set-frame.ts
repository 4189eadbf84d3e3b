import { NO_REQUEST_ID } from '../../protocol/frames.js';
import { MessageTypes } from '../../common/message-types.js';
import { varintSize, writeUint32Varint } from './byte-writer.js';

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
 * Where the one message field of a HeronTupleSet frame (`data` or `control`) starts: after the header and room for
 * the field's tag and longest length. The header is written right-aligned against the field when the frame is
 * finished, so the frame starts a few bytes in and no byte of the field ever moves.
 */
export const CONTENT_AT = HEADER_BYTES + 1 + 5;
/** Room for the trailing src_task_id field. */
export const TRAILER_BYTES = 1 + 5;

/** The tag of HeronTupleSet's `data = 1` field. */
export const DATA_FIELD_TAG = 0x0a;
/** The tag of HeronTupleSet's `control = 2` field. */
export const CONTROL_FIELD_TAG = 0x12;

/**
 * Completes a HeronTupleSet frame (native/PROTOCOL.md §3) in `b`, whose field `fieldTag` holds `b[CONTENT_AT,
 * contentEnd)`: appends `src_task_id` and writes the field's tag and length and the frame header just before the
 * content. `b` must have {@link TRAILER_BYTES} of room after `contentEnd`.
 */
export function finishTupleSet(b: Buffer, contentEnd: number, fieldTag: number, srcTaskId: number): FinishedFrame {
  const contentLength = contentEnd - CONTENT_AT;
  b[contentEnd] = 0x18;
  const end = writeUint32Varint(b, contentEnd + 1, srcTaskId);
  const payloadStart = CONTENT_AT - 1 - varintSize(contentLength);
  const frameStart = payloadStart - HEADER_BYTES;
  b.writeUInt32BE(end - frameStart - 4, frameStart);
  b.set(HEADER_TEMPLATE, frameStart + 4);
  b.writeUInt32BE(end - payloadStart, frameStart + 4 + HEADER_TEMPLATE.length);
  b[payloadStart] = fieldTag;
  writeUint32Varint(b, payloadStart + 1, contentLength);
  return { buffer: b.buffer as ArrayBuffer, start: b.byteOffset + frameStart, end: b.byteOffset + end };
}

/**
 * Writes a RootId (`{ taskid = 1: int32; key = 2: sfixed64 }`) as field `tag` at `p` and returns the position after
 * it; at most {@link ROOT_ID_BYTES}. Keys are two signed 32-bit halves, as Long holds them (`low`, `high`).
 */
export function writeRootId(b: Uint8Array, p: number, tag: number, taskId: number, keyLow: number, keyHigh: number): number {
  b[p] = tag;
  const lengthAt = p + 1;
  b[p + 2] = 0x08;
  // Task ids are never negative (an int32's negative varint would take ten bytes).
  p = writeUint32Varint(b, p + 3, taskId);
  b[p] = 0x11;
  p = writeFixed64(b, p + 1, keyLow, keyHigh);
  b[lengthAt] = p - lengthAt - 1;
  return p;
}

/** The longest RootId {@link writeRootId} writes: tag, length, task id (tag, 5 bytes), key (tag, 8 bytes). */
export const ROOT_ID_BYTES = 2 + 6 + 9;

/** Writes a fixed64 from its two halves, little-endian, and returns the position after it. */
export function writeFixed64(b: Uint8Array, p: number, low: number, high: number): number {
  b[p] = low;
  b[p + 1] = low >>> 8;
  b[p + 2] = low >>> 16;
  b[p + 3] = low >>> 24;
  b[p + 4] = high;
  b[p + 5] = high >>> 8;
  b[p + 6] = high >>> 16;
  b[p + 7] = high >>> 24;
  return p + 8;
}

/** Reads a little-endian signed 32-bit value (half of a fixed64) at `p`. */
export function readInt32LE(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}
