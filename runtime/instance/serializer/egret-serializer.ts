import type { TupleSerializer } from '../../../api/serializer.js';
import { ByteWriter } from '../codec/byte-writer.js';
import { readEgretValue } from './egret-value-reader.js';
import { writeEgretValue } from './egret-value-writer.js';

/**
 * The default serializer (`topology.serializer: egret`) as a {@link TupleSerializer}, for tests, benchmarks and
 * other engines. Instances do not go through it: they write values straight into frames (value-codec.ts). The
 * format is described in egret-format.ts.
 */
export class EgretSerializer implements TupleSerializer {
  private readonly scratch = new ByteWriter(Buffer.from(new ArrayBuffer(256)));

  /** A copy of the value's bytes; throws UnserializableValueError for a value the format does not take. */
  serialize(value: unknown): Uint8Array {
    this.scratch.pos = 0;
    writeEgretValue(this.scratch, value);
    return Buffer.from(this.scratch.bytes.subarray(0, this.scratch.pos));
  }

  /** Throws WireFormatError for bytes that are not one egret value. */
  deserialize(bytes: Uint8Array): unknown {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return readEgretValue(buffer, 0, buffer.length);
  }
}
