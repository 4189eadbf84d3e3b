import { TAR_BLOCK, tarChecksum } from './tar-writer.js';

/** One regular file read from a tarball, its name stripped of a leading `./`. */
export interface TarEntry {
  readonly name: string;
  readonly data: Buffer;
}

/**
 * The tarball is malformed (`entry` names the header at fault, when known), or holds an entry a flat archive of files
 * must not (`unexpected`: a link, a directory, a name with a directory part).
 */
export class TarFormatError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
    readonly unexpected = false,
  ) {
    super(message);
  }
}

const REGULAR = new Set(['0', '\0', '7']);
const TYPE_NAMES: Readonly<Record<string, string>> = { '1': 'a hard link', '2': 'a symbolic link', '3': 'a character device', '4': 'a block device', '5': 'a directory', '6': 'a FIFO', L: 'a GNU long name', K: 'a GNU long link name' };

/**
 * The regular files of an uncompressed tarball (ustar, or GNU and pax tarballs that use no extension but a pax
 * `path`), in order. A flat archive is all a package is, so anything else is refused rather than interpreted:
 * links, devices, directories other than `./`, names with a directory part or `..`. Throws {@link TarFormatError}
 * for those, for a bad header checksum, and for a truncated archive.
 */
export function readTar(tarball: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + TAR_BLOCK <= tarball.length) {
    const header = tarball.subarray(offset, offset + TAR_BLOCK);
    if (header.every((byte) => byte === 0)) return entries;
    // Until the checksum holds, the name is as likely garbage as anything else in the block: do not quote it.
    if (parseOctal(header, 148, 8) !== tarChecksum(header)) throw new TarFormatError(`the block at byte ${offset} is not a tar header (bad checksum)`);
    const rawName = headerName(header);
    const size = readOctal(header, 124, 12, rawName);
    const start = offset + TAR_BLOCK;
    if (start + size > tarball.length) throw new TarFormatError(`entry '${rawName}' is truncated: ${size} bytes announced, ${tarball.length - start} present`, rawName);
    const data = tarball.subarray(start, start + size);
    offset = start + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
    const type = String.fromCharCode(header[156] as number);
    if (type === 'g') continue;
    if (type === 'x') {
      paxPath = paxPathOf(data);
      continue;
    }
    const original = paxPath ?? rawName;
    const name = normalizeName(original);
    paxPath = undefined;
    if (type === '5' && name === '') continue;
    if (!REGULAR.has(type)) throw new TarFormatError(`entry '${name}' is ${TYPE_NAMES[type] ?? `of tar type '${type}'`}, not a regular file`, name, true);
    if (name === '' || name.includes('/') || name === '..') throw new TarFormatError(`entry '${original}' is not a plain file name`, original, true);
    entries.push({ name, data: Buffer.from(data) });
  }
  throw new TarFormatError(offset === 0 ? 'the archive holds not even one header' : 'the archive ends without its end-of-archive blocks (truncated)');
}

function headerName(header: Buffer): string {
  const name = cString(header, 0, 100);
  // ustar keeps long paths' leading directories in a prefix field.
  const prefix = header.toString('latin1', 257, 262) === 'ustar' ? cString(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(header: Buffer, offset: number, length: number): string {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end < 0 ? length : end);
}

function readOctal(header: Buffer, offset: number, length: number, entry: string): number {
  const value = parseOctal(header, offset, length);
  // This refuses base-256 numbers too (high bit set), which GNU tar writes only for sizes over 8 GiB: no package.
  if (value === undefined) throw new TarFormatError(`entry '${entry}' has a malformed header (field at byte ${offset} is not an octal number)`, entry);
  return value;
}

function parseOctal(header: Buffer, offset: number, length: number): number | undefined {
  const text = header.toString('latin1', offset, offset + length).replace(/[\0 ]+$/, '').trim();
  if (!/^[0-7]*$/.test(text)) return undefined;
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** `./topology.mjs` and `topology.mjs` are the same entry; the directory entry `./` becomes ''. */
function normalizeName(name: string): string {
  let result = name;
  while (result.startsWith('./')) result = result.slice(2);
  return result === '.' ? '' : result;
}

/** The `path` of a pax extended header, whose records are `<length> <key>=<value>\n` with lengths in bytes. */
function paxPathOf(data: Buffer): string | undefined {
  let path: string | undefined;
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = Number(data.toString('latin1', offset, space));
    if (space < 0 || !Number.isInteger(length) || offset + length <= space || offset + length > data.length) {
      throw new TarFormatError(`a pax extended header is malformed at byte ${offset} of its records`);
    }
    const record = data.toString('utf8', space + 1, offset + length - 1);
    if (record.startsWith('path=')) path = record.slice('path='.length);
    offset += length;
  }
  return path;
}
