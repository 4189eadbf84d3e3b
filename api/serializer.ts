import { TopologyConfigKeys } from './topology-config.js';
/**
 * The topology config key naming the serializer of tuple values: `egret` (the default, built in) or a module
 * path, resolved from the topology package, whose exports (or default export) are a {@link TupleSerializer}.
 */
export const TUPLE_SERIALIZER_KEY = TopologyConfigKeys.SERIALIZER;

/**
 * Turns one tuple value into bytes and back. Every field of an emitted tuple is serialized on its own, in the
 * emitting task; the receiving task deserializes it. The stream manager never looks inside the bytes, except that
 * fields grouping hashes them: a serializer must be deterministic (equal values give identical bytes), or equal
 * keys may reach different tasks.
 *
 * One instance serves a whole task, from one thread; it need not be reentrant.
 */
export interface TupleSerializer {
  /**
   * The bytes of `value`. Throws for a value it cannot represent; the engine then fails the emit with the component,
   * stream and field in the message. The returned array may be reused by the serializer after the call returns:
   * the engine copies it at once.
   */
  serialize(value: unknown): Uint8Array;
  /**
   * The value `bytes` hold, as `serialize` wrote them. `bytes` is a view into a larger buffer, valid only during the
   * call: copy what you keep. Throws for bytes it did not write.
   */
  deserialize(bytes: Uint8Array): unknown;
}
