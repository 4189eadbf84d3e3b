/**
 * A minimal ustar writer: enough for a topology package (a few flat regular files), and nothing more. Egret writes
 * its own rather than depend on a tar library because a package never needs links, directories, long names or
 * streaming, and the reader beside it must reject all of those anyway (see tar-reader.ts).
 */

/** One regular file of a tarball. */
export interface TarFile {
  /** A plain name of at most 100 bytes (no directory part). */
  readonly name: string;
  readonly data: Buffer;
  /** Permission bits; default 0o644. */
  readonly mode?: number;
  /** Modification time; default now. */
  readonly mtime?: Date;
}

/** Tar's unit: headers are one block, file data is padded to whole blocks. */
export const TAR_BLOCK = 512;

/** The bytes of an uncompressed tarball holding `files` in order, ended by the two zero blocks ustar requires. */
export function writeTar(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(tarHeader(file));
    parts.push(file.data);
    const padding = (TAR_BLOCK - (file.data.length % TAR_BLOCK)) % TAR_BLOCK;
    if (padding > 0) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(2 * TAR_BLOCK));
  return Buffer.concat(parts);
}

function tarHeader(file: TarFile): Buffer {
  const name = Buffer.from(file.name, 'utf8');
  if (name.length === 0 || name.length > 100 || file.name.includes('/')) throw new Error(`tar entry name '${file.name}' must be a plain name of 1 to 100 bytes`);
  const header = Buffer.alloc(TAR_BLOCK);
  name.copy(header, 0);
  writeOctal(header, 100, 8, file.mode ?? 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, file.data.length);
  writeOctal(header, 136, 12, Math.floor((file.mtime ?? new Date()).getTime() / 1000));
  header.write('0', 156, 'latin1');
  header.write('ustar\u000000', 257, 'latin1');
  // The checksum is computed with its own field read as spaces, then written as six digits, NUL, space.
  header.fill(0x20, 148, 156);
  writeOctal(header, 148, 7, tarChecksum(header));
  header[155] = 0x20;
  return header;
}

/** Writes `value` as zero-padded octal digits filling `length - 1` bytes, then a NUL. */
function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`tar header field at ${offset} cannot hold ${value}`);
  header.write(digits.padStart(length - 1, '0'), offset, 'latin1');
  header[offset + length - 1] = 0;
}

/** The ustar checksum of a header: the sum of its bytes, the checksum field counted as eight spaces. */
export function tarChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
  return sum;
}
