/** Thrown for bytes that are not the protobuf message (or the serialized value) they should be. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

/** Protobuf wire types. */
export const WireType = { VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, FIXED32: 5 } as const;

/**
 * Reads protobuf primitives from `bytes[pos, end)`. One reader is reused for many messages (see {@link reset}), so
 * that decoding a tuple allocates nothing of its own.
 */
export class WireReader {
  bytes: Buffer;
  pos: number;
  end: number;

  constructor(bytes: Buffer = Buffer.alloc(0), pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  reset(bytes: Buffer, pos: number, end: number): this {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    return this;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as an unsigned 32-bit value; the bits above 32 of a longer varint are dropped, as protobuf does. */
  uint32(): number {
    const b = this.bytes;
    let p = this.pos;
    if (p >= this.end) throw new WireFormatError('truncated varint');
    let c = b[p++]!;
    let value = c & 0x7f;
    if (c >= 0x80) {
      c = b[p++]!;
      value |= (c & 0x7f) << 7;
      if (c >= 0x80) {
        c = b[p++]!;
        value |= (c & 0x7f) << 14;
        if (c >= 0x80) {
          c = b[p++]!;
          value |= (c & 0x7f) << 21;
          if (c >= 0x80) {
            c = b[p++]!;
            value |= (c & 0x0f) << 28;
            // A negative int32 is sign-extended to ten bytes: skip the rest.
            for (let i = 0; c >= 0x80; i++) {
              if (i === 5) throw new WireFormatError('varint longer than ten bytes');
              c = b[p++]!;
            }
          }
        }
      }
    }
    if (p > this.end) throw new WireFormatError('truncated varint');
    this.pos = p;
    return value >>> 0;
  }

  /** A varint as a signed 32-bit value (int32). */
  int32(): number {
    return this.uint32() | 0;
  }

  /** A length prefix, checked against the bytes left; returns the end of the field. */
  lengthDelimited(): number {
    const length = this.uint32();
    const fieldEnd = this.pos + length;
    if (fieldEnd > this.end) throw new WireFormatError(`field of ${length} bytes overruns its message`);
    return fieldEnd;
  }

  /** A length-delimited UTF-8 string. */
  string(): string {
    const fieldEnd = this.lengthDelimited();
    const value = this.bytes.toString('utf8', this.pos, fieldEnd);
    this.pos = fieldEnd;
    return value;
  }

  /** Skips the value of a field of `wireType`. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.uint32();
        return;
      case WireType.FIXED64:
        this.advance(8);
        return;
      case WireType.LENGTH_DELIMITED:
        this.pos = this.lengthDelimited();
        return;
      case WireType.FIXED32:
        this.advance(4);
        return;
      default:
        throw new WireFormatError(`unsupported wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new WireFormatError('truncated fixed-width field');
    this.pos += n;
  }
}
