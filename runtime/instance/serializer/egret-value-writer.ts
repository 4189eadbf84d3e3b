import { utf8Write } from '../codec/buffer-strings.js';
import type { ByteWriter } from '../codec/byte-writer.js';
import { MAX_DEPTH, Tag } from './egret-format.js';
import { describeValue, keyStep, UnserializableValueError } from './unserializable-value-error.js';

/** `String.prototype.isWellFormed` (Node 20), which TypeScript's es2023 library does not declare yet. */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

/**
 * Appends `value` in the egret format (see egret-format.ts) at the writer's position, as a top-level value (its
 * length is the field's). Throws {@link UnserializableValueError} for a value the format does not take; the writer
 * may then hold part of the value, and the caller rewinds it.
 */
export function writeEgretValue(w: ByteWriter, value: unknown): void {
  writeValue(w, value, false, 0);
}

function writeValue(w: ByteWriter, value: unknown, nested: boolean, depth: number): void {
  switch (typeof value) {
    case 'string':
      writeString(w, value, nested);
      return;
    case 'number':
      writeNumber(w, value);
      return;
    case 'boolean':
      w.ensure(1);
      w.bytes[w.pos++] = value ? Tag.TRUE : Tag.FALSE;
      return;
    case 'undefined':
      w.ensure(1);
      w.bytes[w.pos++] = Tag.UNDEFINED;
      return;
    case 'bigint':
      writeBigint(w, value, nested);
      return;
    case 'object':
      if (value === null) {
        w.ensure(1);
        w.bytes[w.pos++] = Tag.NULL;
      } else {
        writeObject(w, value, nested, depth);
      }
      return;
    default:
      throw new UnserializableValueError(describeValue(value));
  }
}

function writeString(w: ByteWriter, s: string, nested: boolean): void {
  // Three bytes per UTF-16 unit is the worst case (a surrogate pair takes four bytes for two units).
  w.ensure(s.length * 3 + 2);
  const tagAt = w.pos++;
  const lengthAt = nested ? w.pos++ : -1;
  w.bytes[tagAt] = writeStringBody(w, s);
  if (nested) w.finishLength(lengthAt);
}

/**
 * Strings up to this many UTF-16 units are tried as ASCII in JavaScript first: below it, the loop costs less than
 * the call into C++ (about 100 ns on its own), which longer strings are worth.
 */
const SHORT_STRING = 48;

/** Writes the bytes of `s` (room for them already made) and returns its tag. */
function writeStringBody(w: ByteWriter, s: string): number {
  const start = w.pos;
  const n = s.length;
  if (n <= SHORT_STRING) {
    const b = w.bytes;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[start + i] = c;
    }
    if (i === n) {
      w.pos = start + n;
      return Tag.ASCII;
    }
  }
  const written = utf8Write(w.bytes, s, start);
  w.pos = start + written;
  // Every non-ASCII UTF-16 unit takes more than one byte.
  if (written === n) return Tag.ASCII;
  if ((s as unknown as WellFormedCheck).isWellFormed()) return Tag.UTF8;
  w.pos = writeWtf8(w.bytes, start, s);
  return Tag.WTF8;
}

/** UTF-8, except that a lone surrogate is written as its own 3-byte sequence instead of U+FFFD, so it survives. */
function writeWtf8(b: Buffer, pos: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[pos++] = c;
    } else if (c < 0x800) {
      b[pos++] = 0xc0 | (c >> 6);
      b[pos++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const low = s.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
          b[pos++] = 0xf0 | (c >> 18);
          b[pos++] = 0x80 | ((c >> 12) & 0x3f);
          b[pos++] = 0x80 | ((c >> 6) & 0x3f);
          b[pos++] = 0x80 | (c & 0x3f);
          continue;
        }
      }
      b[pos++] = 0xe0 | (c >> 12);
      b[pos++] = 0x80 | ((c >> 6) & 0x3f);
      b[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

const CANONICAL_NAN = Buffer.from([0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);

function writeNumber(w: ByteWriter, value: number): void {
  w.ensure(9);
  const b = w.bytes;
  if ((value | 0) === value && !Object.is(value, -0)) {
    b[w.pos++] = Tag.INT;
    w.uint32((value << 1) ^ (value >> 31));
    return;
  }
  b[w.pos++] = Tag.FLOAT;
  if (Number.isNaN(value)) b.set(CANONICAL_NAN, w.pos);
  else b.writeDoubleLE(value, w.pos);
  w.pos += 8;
}

function writeBigint(w: ByteWriter, value: bigint, nested: boolean): void {
  const negative = value < 0n;
  let hex = value === 0n ? '' : (negative ? -value : value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const length = hex.length / 2;
  w.ensure(length + 6);
  w.bytes[w.pos++] = negative ? Tag.BIGINT_NEGATIVE : Tag.BIGINT_POSITIVE;
  if (nested) w.uint32(length);
  w.pos += w.bytes.write(hex, w.pos, 'hex');
}

function writeBytes(w: ByteWriter, tag: number, value: Uint8Array, nested: boolean): void {
  w.ensure(value.length + 6);
  w.bytes[w.pos++] = tag;
  if (nested) w.uint32(value.length);
  w.bytes.set(value, w.pos);
  w.pos += value.length;
}

function writeObject(w: ByteWriter, value: object, nested: boolean, depth: number): void {
  if (value instanceof Uint8Array) {
    if (Buffer.isBuffer(value)) writeBytes(w, Tag.BUFFER, value, nested);
    else if (Object.getPrototypeOf(value) === Uint8Array.prototype) writeBytes(w, Tag.UINT8ARRAY, value, nested);
    else throw new UnserializableValueError(describeValue(value));
    return;
  }
  if (depth >= MAX_DEPTH) throw new UnserializableValueError(`a value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  if (Array.isArray(value)) {
    const items = value as readonly unknown[];
    w.ensure(1);
    w.bytes[w.pos++] = Tag.ARRAY;
    w.uint32(items.length);
    for (let i = 0; i < items.length; i++) {
      try {
        writeValue(w, items[i], true, depth + 1);
      } catch (error) {
        throw error instanceof UnserializableValueError ? error.within(`[${i}]`) : error;
      }
    }
    return;
  }
  if (!isPlainObject(value)) throw new UnserializableValueError(describeValue(value));
  const record = value as Record<string, unknown>;
  // Sorted so that equal objects built in different orders give identical bytes.
  const keys = Object.keys(record).sort();
  w.ensure(1);
  w.bytes[w.pos++] = Tag.OBJECT;
  w.uint32(keys.length);
  for (const key of keys) {
    writeString(w, key, true);
    try {
      writeValue(w, record[key], true, depth + 1);
    } catch (error) {
      throw error instanceof UnserializableValueError ? error.within(keyStep(key)) : error;
    }
  }
}

/** An object literal or `Object.create(null)`, also from another realm (a vm context has its own Object). */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  if (proto === null || proto === Object.prototype) return true;
  return Object.getPrototypeOf(proto) === null && proto.constructor?.name === 'Object';
}
