import { latin1Slice, utf8Slice } from '../codec/buffer-strings.js';
import { WireFormatError, WireReader } from '../codec/wire-reader.js';
import { MAX_DEPTH, Tag } from './egret-format.js';

const reader = new WireReader();

/**
 * The value in `bytes[start, end)`, written by `writeEgretValue`. Throws {@link WireFormatError} for bytes that are
 * not one egret value.
 */
export function readEgretValue(bytes: Buffer, start: number, end: number): unknown {
  // One reader for every call: decoding calls no user code, so it is never reentered.
  const r = reader.reset(bytes, start, end);
  const value = readValue(r, true, 0);
  if (r.pos !== end) throw new WireFormatError(`egret value: ${end - r.pos} bytes after the value`);
  return value;
}

function readValue(r: WireReader, top: boolean, depth: number): unknown {
  if (r.pos >= r.end) throw new WireFormatError('egret value: truncated');
  const tag = r.bytes[r.pos++]!;
  switch (tag) {
    case Tag.ASCII:
    case Tag.UTF8: {
      // Inline: a top-level string is the common tuple value.
      const end = top ? r.end : r.lengthDelimited();
      if (end > r.end) throw new WireFormatError('egret value: truncated string');
      const value = tag === Tag.ASCII ? latin1Slice(r.bytes, r.pos, end) : utf8Slice(r.bytes, r.pos, end);
      r.pos = end;
      return value;
    }
    case Tag.WTF8:
      return readBody(r, top, readWtf8);
    case Tag.INT: {
      const zigzag = r.uint32();
      return (zigzag >>> 1) ^ -(zigzag & 1);
    }
    case Tag.FLOAT: {
      if (r.pos + 8 > r.end) throw new WireFormatError('egret value: truncated number');
      const value = r.bytes.readDoubleLE(r.pos);
      r.pos += 8;
      return value;
    }
    case Tag.UNDEFINED:
      return undefined;
    case Tag.NULL:
      return null;
    case Tag.FALSE:
      return false;
    case Tag.TRUE:
      return true;
    case Tag.BUFFER:
      return readBody(r, top, copyBuffer);
    case Tag.UINT8ARRAY:
      return readBody(r, top, copyUint8Array);
    case Tag.BIGINT_POSITIVE:
      return readBody(r, top, readMagnitude);
    case Tag.BIGINT_NEGATIVE:
      return -readBody(r, top, readMagnitude);
    case Tag.ARRAY:
      return readArray(r, depth);
    case Tag.OBJECT:
      return readObject(r, depth);
    default:
      throw new WireFormatError(`egret value: unknown tag 0x${tag.toString(16)}`);
  }
}

/** Reads a payload that runs to the end of a top-level value, or carries its length when nested. */
function readBody<T>(r: WireReader, top: boolean, read: (bytes: Buffer, start: number, end: number) => T): T {
  const end = top ? r.end : r.lengthDelimited();
  const value = read(r.bytes, r.pos, end);
  r.pos = end;
  return value;
}

function copyBuffer(b: Buffer, start: number, end: number): Buffer {
  return Buffer.from(b.subarray(start, end));
}

function copyUint8Array(b: Buffer, start: number, end: number): Uint8Array {
  return new Uint8Array(b.subarray(start, end));
}

function readMagnitude(b: Buffer, start: number, end: number): bigint {
  return start === end ? 0n : BigInt(`0x${b.toString('hex', start, end)}`);
}

function readArray(r: WireReader, depth: number): unknown[] {
  if (depth >= MAX_DEPTH) throw new WireFormatError(`egret value: nested deeper than ${MAX_DEPTH} levels`);
  const count = r.uint32();
  // Each item takes at least one byte: a larger count is corrupt, and must not allocate a huge array.
  if (count > r.end - r.pos) throw new WireFormatError(`egret value: array of ${count} items in ${r.end - r.pos} bytes`);
  const items = new Array<unknown>(count);
  for (let i = 0; i < count; i++) items[i] = readValue(r, false, depth + 1);
  return items;
}

function readObject(r: WireReader, depth: number): Record<string, unknown> {
  if (depth >= MAX_DEPTH) throw new WireFormatError(`egret value: nested deeper than ${MAX_DEPTH} levels`);
  const count = r.uint32();
  if (count > r.end - r.pos) throw new WireFormatError(`egret value: object of ${count} keys in ${r.end - r.pos} bytes`);
  const record: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const key = readValue(r, false, depth + 1);
    if (typeof key !== 'string') throw new WireFormatError('egret value: an object key that is not a string');
    const value = readValue(r, false, depth + 1);
    // Assigning `__proto__` would replace the prototype instead of adding a key.
    if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    else record[key] = value;
  }
  return record;
}

/** Decodes WTF-8 (UTF-8 plus encoded lone surrogates), which the native decoders would turn into U+FFFD. */
function readWtf8(b: Buffer, start: number, end: number): string {
  const units: number[] = [];
  let p = start;
  while (p < end) {
    const c = b[p++]!;
    if (c < 0x80) {
      units.push(c);
    } else if (c < 0xe0) {
      units.push(((c & 0x1f) << 6) | (continuation(b, p++, end)));
    } else if (c < 0xf0) {
      units.push(((c & 0x0f) << 12) | (continuation(b, p++, end) << 6) | continuation(b, p++, end));
    } else {
      const point = ((c & 0x07) << 18) | (continuation(b, p++, end) << 12) | (continuation(b, p++, end) << 6) | continuation(b, p++, end);
      units.push(0xd800 + ((point - 0x10000) >> 10), 0xdc00 + ((point - 0x10000) & 0x3ff));
    }
  }
  let s = '';
  // fromCharCode takes its arguments on the stack: chunks keep long strings from overflowing it.
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.slice(i, i + 4096));
  return s;
}

function continuation(b: Buffer, p: number, end: number): number {
  if (p >= end) throw new WireFormatError('egret value: truncated WTF-8 string');
  const c = b[p]!;
  if ((c & 0xc0) !== 0x80) throw new WireFormatError('egret value: invalid WTF-8 string');
  return c & 0x3f;
}
