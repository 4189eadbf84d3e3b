import type { TupleSerializer } from '../../../api/serializer.js';
import type { ByteWriter } from '../codec/byte-writer.js';
import { readEgretValue } from './egret-value-reader.js';
import { Tag } from './egret-format.js';
import { writeEgretValue } from './egret-value-writer.js';

/**
 * How the tuple codec writes and reads one value. The egret serializer writes straight into the outgoing frame and
 * reads straight from the incoming one; a {@link TupleSerializer} from a module goes through its own byte arrays.
 */
export interface ValueCodec {
  /** `egret`, or the module path `topology.serializer` named. */
  readonly name: string;
  /** Appends the bytes of `value` at the writer's position; throws for a value it cannot represent. */
  write(w: ByteWriter, value: unknown): void;
  /** The value in `bytes[start, end)`. */
  read(bytes: Buffer, start: number, end: number): unknown;
  /**
   * When set, the codec writes a string of ASCII characters as this one byte followed by the characters, and reads
   * such bytes back as that string: the tuple codec then handles the commonest value itself, without a call.
   */
  readonly asciiTag?: number;
}

/** The built-in serializer, without intermediate byte arrays. */
export const egretValueCodec: ValueCodec = { name: 'egret', write: writeEgretValue, read: readEgretValue, asciiTag: Tag.ASCII };

/** A codec over a user's serializer; `name` is what `topology.serializer` said, for messages. */
export function valueCodecOf(serializer: TupleSerializer, name: string): ValueCodec {
  return {
    name,
    write(w, value) {
      const bytes = serializer.serialize(value);
      if (!(bytes instanceof Uint8Array)) throw new TypeError(`serializer '${name}' returned ${typeof bytes} from serialize, not a Uint8Array`);
      w.ensure(bytes.length);
      w.bytes.set(bytes, w.pos);
      w.pos += bytes.length;
    },
    read(bytes, start, end) {
      return serializer.deserialize(bytes.subarray(start, end));
    },
  };
}
