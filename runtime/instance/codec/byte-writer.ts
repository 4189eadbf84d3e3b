/**
 * An append-only byte buffer over an ArrayBuffer of its own (so that it can be transferred between threads), with
 * the protobuf primitives the tuple codec and the value serializer need. Fields are public on purpose: the hot paths
 * write through `bytes` and `pos` directly and call {@link ByteWriter.ensure} first.
 */
export class ByteWriter {
  /** The buffer written into; replaced by a larger one when {@link ensure} grows it. */
  bytes: Buffer;
  /** The next byte to write. */
  pos: number;

  constructor(bytes: Buffer, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }

  /** Makes room for `n` more bytes, moving what was written into a larger buffer if needed. */
  ensure(n: number): void {
    if (this.pos + n > this.bytes.length) this.grow(this.pos + n);
  }

  private grow(needed: number): void {
    const next = Buffer.from(new ArrayBuffer(Math.max(needed, this.bytes.length * 2)));
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
  }

  /** Appends one byte (after `ensure`). */
  byte(value: number): void {
    this.bytes[this.pos++] = value;
  }

  /** Appends an unsigned 32-bit varint, minimal. */
  uint32(value: number): void {
    this.ensure(5);
    this.pos = writeUint32Varint(this.bytes, this.pos, value);
  }

  /** Appends an int32 varint as protobuf does: a negative value takes ten bytes (sign-extended to 64 bits). */
  int32(value: number): void {
    if (value >= 0) {
      this.uint32(value);
      return;
    }
    this.ensure(10);
    const b = this.bytes;
    let p = this.pos;
    let low = value >>> 0;
    for (let i = 0; i < 4; i++) {
      b[p++] = (low & 0x7f) | 0x80;
      low >>>= 7;
    }
    // Byte 5 holds the last 4 bits of the low word and the first 3 of the all-ones high word.
    b[p++] = (low & 0x0f) | 0x70 | 0x80;
    for (let i = 0; i < 4; i++) b[p++] = 0xff;
    b[p++] = 0x01;
    this.pos = p;
  }

  /**
   * Reserves one byte for the length of what follows and returns its position, for {@link finishLength}. One byte
   * suffices below 128 bytes, the common case; a longer field is moved up once it is complete, which costs a copy
   * proportional to its size only for large fields.
   */
  reserveLength(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the bytes since `at` (from {@link reserveLength}) as a minimal varint at `at`. */
  finishLength(at: number): void {
    const length = this.pos - at - 1;
    if (length < 0x80) {
      this.bytes[at] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.bytes.copyWithin(at + 1 + extra, at + 1, this.pos);
    this.pos += extra;
    writeUint32Varint(this.bytes, at, length);
  }
}

/** Bytes of the minimal varint of an unsigned 32-bit value. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** Writes an unsigned 32-bit value as a minimal varint at `pos` and returns the position after it. */
export function writeUint32Varint(bytes: Uint8Array, pos: number, value: number): number {
  let v = value >>> 0;
  while (v > 0x7f) {
    bytes[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  bytes[pos++] = v;
  return pos;
}
