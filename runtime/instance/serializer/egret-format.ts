/**
 * The `egret` value format. Every value starts with a one-byte tag:
 *
 * | Tag | Value | Payload |
 * | --- | --- | --- |
 * | 0x00 | undefined | none |
 * | 0x01 | null | none |
 * | 0x02 / 0x03 | false / true | none |
 * | 0x04 | a number that is a 32-bit integer (not -0) | zigzag varint |
 * | 0x05 | any other number | float64, little-endian; NaN always as 0x7ff8000000000000 |
 * | 0x06 | a string of ASCII characters only | its bytes |
 * | 0x07 | any other well-formed string | UTF-8 |
 * | 0x08 | a string with lone surrogates | WTF-8 (a lone surrogate as its 3-byte sequence) |
 * | 0x09 / 0x0a | a Buffer / a Uint8Array | the bytes |
 * | 0x0b / 0x0c | a bigint >= 0 / < 0 | magnitude, big-endian, no leading zero byte (0n: empty) |
 * | 0x0d | an array | varint count, then each item (holes as undefined) |
 * | 0x0e | a plain object | varint count, then key (as a string value) and value pairs, keys sorted |
 *
 * Strings, bytes and bigints nested in an array or object carry a varint byte length after the tag; at the top level
 * they run to the end of the field, whose length the tuple already carries. The encoding of a value depends only on
 * the value (object keys are sorted, NaN is canonical, the number tags follow from the number): equal values give
 * identical bytes, which fields grouping relies on.
 */
export const Tag = {
  UNDEFINED: 0x00,
  NULL: 0x01,
  FALSE: 0x02,
  TRUE: 0x03,
  INT: 0x04,
  FLOAT: 0x05,
  ASCII: 0x06,
  UTF8: 0x07,
  WTF8: 0x08,
  BUFFER: 0x09,
  UINT8ARRAY: 0x0a,
  BIGINT_POSITIVE: 0x0b,
  BIGINT_NEGATIVE: 0x0c,
  ARRAY: 0x0d,
  OBJECT: 0x0e,
} as const;

/** Arrays and objects nested deeper than this are refused: a cycle would otherwise recurse until the stack ends. */
export const MAX_DEPTH = 1000;

/** What the egret serializer takes, for error messages. */
export const SUPPORTED_VALUES = 'strings, numbers, booleans, null, undefined, bigints, Buffers, Uint8Arrays, arrays and plain objects';
