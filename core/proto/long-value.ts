import Long from 'long';

/**
 * An int64 field as a JavaScript number: decoding yields `Long` objects, values built in JS are plain numbers.
 * Throws a RangeError naming `what` when the value is not a safe integer. Not for sfixed64 tuple keys, which
 * are random 64-bit values and stay `Long`.
 */
export function toSafeNumber(value: number | Long, what: string): number {
  // isLong checks a brand, so it also recognises the Long of protobufjs's CommonJS copy of the package.
  const n = Long.isLong(value) ? value.toNumber() : value;
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} (${String(value)}) is not a safe integer`);
  return n;
}
