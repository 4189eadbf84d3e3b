/**
 * Buffer's own string encoders and decoders (`latin1Slice`, `utf8Slice`, `utf8Write`): what `toString` and `write`
 * call after dispatching on the encoding name. For the short strings of tuples that dispatch is a fifth of the cost,
 * so the codec calls them directly, falling back to the public methods where they are missing.
 */
interface BufferStrings {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  utf8Write(s: string, offset: number): number;
}

const proto = Buffer.prototype as unknown as Partial<BufferStrings>;
const native = typeof proto.latin1Slice === 'function' && typeof proto.utf8Slice === 'function' && typeof proto.utf8Write === 'function';

/** The Latin-1 (and so ASCII) string in `b[start, end)`. */
export const latin1Slice: (b: Buffer, start: number, end: number) => string = native
  ? (b, start, end) => (b as unknown as BufferStrings).latin1Slice(start, end)
  : (b, start, end) => b.toString('latin1', start, end);

/** The UTF-8 string in `b[start, end)`. */
export const utf8Slice: (b: Buffer, start: number, end: number) => string = native
  ? (b, start, end) => (b as unknown as BufferStrings).utf8Slice(start, end)
  : (b, start, end) => b.toString('utf8', start, end);

/** Writes `s` as UTF-8 at `offset` (room made by the caller) and returns the bytes written. */
export const utf8Write: (b: Buffer, s: string, offset: number) => number = native
  ? (b, s, offset) => (b as unknown as BufferStrings).utf8Write(s, offset)
  : (b, s, offset) => b.write(s, offset, 'utf8');
