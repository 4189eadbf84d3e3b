import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { ConfigMap } from '../../api/config-value.js';
import { stagingName } from '../download/staging-name.js';
import { syncDirectory } from '../download/atomic-file.js';
import { messageOf } from '../errors.js';
import { ProtoTopology } from '../proto/index.js';
import { TopologyPackageError } from './package-error.js';
import { CONFIG_ENTRY, DEFINITION_ENTRY, MANIFEST_ENTRY, packageEntries, parseManifest, type TopologyPackageManifest } from './package-layout.js';
import { readTar, TarFormatError } from './tar-reader.js';

const gunzipAsync = promisify(gunzip);

/** Unpacking stops beyond this many bytes: a package is a bundle and a few small files, not a gzip bomb. */
export const MAX_UNPACKED_PACKAGE_BYTES = 512 * 1024 * 1024;

/** An unpacked, checked topology package. */
export interface TopologyPackage {
  /** The absolute directory holding the entries. */
  readonly dir: string;
  readonly manifest: TopologyPackageManifest;
  /** The absolute path of the bundled topology module. */
  readonly modulePath: string;
  /** The logical plan (`topology.defn`); its id and name are the manifest's. */
  readonly topology: ProtoTopology;
  /** The effective configuration (`config.json`). */
  readonly config: ConfigMap;
}

/**
 * Reads and checks the unpacked package in `dir`: the manifest's format and fields, every entry present, the
 * definition decoding to the manifest's topology, config.json an object. Other files in `dir` are ignored. Throws
 * TopologyPackageError naming the directory and the entry: PACKAGE_MISSING_ENTRY, PACKAGE_BAD_MANIFEST,
 * PACKAGE_UNSUPPORTED_FORMAT, PACKAGE_BAD_ENTRY, PACKAGE_IO.
 */
export async function readTopologyPackage(dir: string): Promise<TopologyPackage> {
  const root = resolve(dir);
  const where = `topology package ${root}`;
  const read = async (name: string): Promise<Buffer | undefined> => {
    try {
      return await readFile(join(root, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new TopologyPackageError(`${where}: reading ${name} failed: ${messageOf(error)}`, { code: 'PACKAGE_IO', cause: error });
    }
  };
  const manifestBytes = await read(MANIFEST_ENTRY);
  if (!manifestBytes) throw missing(where, MANIFEST_ENTRY);
  const manifest = parseManifest(manifestBytes, where);
  const entries = new Map<string, Buffer>([[MANIFEST_ENTRY, manifestBytes]]);
  for (const name of packageEntries(manifest).slice(1)) {
    const bytes = await read(name);
    if (bytes) entries.set(name, bytes);
  }
  return checkEntries(root, where, manifest, entries);
}

/**
 * Unpacks the gzipped tarball `file` into `dir` (created; a previous package there is replaced, in one rename once
 * the new one is complete) and returns it checked as {@link readTopologyPackage} does. Nothing is written unless
 * the whole package is valid. Throws TopologyPackageError naming the file and the entry: PACKAGE_NOT_A_TARBALL (not
 * gzip, not tar, truncated, too big), PACKAGE_UNEXPECTED_ENTRY (another name, a link, a directory, a duplicate),
 * and the codes of readTopologyPackage.
 */
export async function unpackTopologyPackage(file: string, dir: string): Promise<TopologyPackage> {
  const source = resolve(file);
  const where = `topology package ${source}`;
  let compressed: Buffer;
  try {
    compressed = await readFile(source);
  } catch (error) {
    throw new TopologyPackageError(`${where}: cannot be read: ${messageOf(error)}`, { code: 'PACKAGE_IO', cause: error });
  }
  const entries = tarEntries(where, await gunzipPackage(where, compressed));
  const manifestBytes = entries.get(MANIFEST_ENTRY);
  if (!manifestBytes) throw missing(where, MANIFEST_ENTRY);
  const manifest = parseManifest(manifestBytes, where);
  const expected = packageEntries(manifest);
  for (const name of entries.keys()) {
    if (!expected.includes(name)) {
      throw new TopologyPackageError(`${where}: unexpected entry '${name}' (a package holds ${expected.join(', ')})`, { code: 'PACKAGE_UNEXPECTED_ENTRY' });
    }
  }
  const target = resolve(dir);
  checkEntries(target, where, manifest, entries);
  await writeDirectory(target, entries);
  return readTopologyPackage(target);
}

async function gunzipPackage(where: string, compressed: Buffer): Promise<Buffer> {
  if (compressed[0] !== 0x1f || compressed[1] !== 0x8b) throw new TopologyPackageError(`${where}: is not a gzipped tarball (no gzip header)`, { code: 'PACKAGE_NOT_A_TARBALL' });
  try {
    return await gunzipAsync(compressed, { maxOutputLength: MAX_UNPACKED_PACKAGE_BYTES });
  } catch (error) {
    const reason = error instanceof RangeError ? `unpacks to more than ${MAX_UNPACKED_PACKAGE_BYTES} bytes` : `its gzip stream is corrupt or truncated (${messageOf(error)})`;
    throw new TopologyPackageError(`${where}: ${reason}`, { code: 'PACKAGE_NOT_A_TARBALL', cause: error });
  }
}

function tarEntries(where: string, tarball: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  try {
    for (const entry of readTar(tarball)) {
      if (entries.has(entry.name)) throw new TarFormatError(`entry '${entry.name}' appears twice`, entry.name, true);
      entries.set(entry.name, entry.data);
    }
  } catch (error) {
    if (!(error instanceof TarFormatError)) throw error;
    throw new TopologyPackageError(`${where}: ${error.unexpected ? '' : 'is not a valid tarball: '}${error.message}`, {
      code: error.unexpected ? 'PACKAGE_UNEXPECTED_ENTRY' : 'PACKAGE_NOT_A_TARBALL',
      cause: error,
    });
  }
  return entries;
}

function checkEntries(dir: string, where: string, manifest: TopologyPackageManifest, entries: ReadonlyMap<string, Buffer>): TopologyPackage {
  for (const name of packageEntries(manifest)) if (!entries.has(name)) throw missing(where, name);
  if ((entries.get(manifest.module) as Buffer).length === 0) throw badEntry(where, manifest.module, 'is empty');
  let topology: ProtoTopology;
  try {
    topology = ProtoTopology.decode(entries.get(DEFINITION_ENTRY) as Buffer);
  } catch (error) {
    throw badEntry(where, DEFINITION_ENTRY, `does not decode as a heron.proto.api.Topology: ${messageOf(error)}`, error);
  }
  if (topology.id !== manifest.topologyId || topology.name !== manifest.topologyName) {
    throw badEntry(where, DEFINITION_ENTRY, `describes topology '${topology.name}' (id ${topology.id}), the manifest '${manifest.topologyName}' (id ${manifest.topologyId})`);
  }
  let config: unknown;
  try {
    config = JSON.parse((entries.get(CONFIG_ENTRY) as Buffer).toString('utf8'));
  } catch (error) {
    throw badEntry(where, CONFIG_ENTRY, `is not JSON: ${messageOf(error)}`, error);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw badEntry(where, CONFIG_ENTRY, 'must hold one JSON object of config keys');
  return { dir, manifest, modulePath: join(dir, manifest.module), topology, config: config as ConfigMap };
}

/** Writes the entries into a staging directory beside `dir`, then swaps it in, so `dir` is never half a package. */
async function writeDirectory(dir: string, entries: ReadonlyMap<string, Buffer>): Promise<void> {
  const parent = dirname(dir);
  const staging = join(parent, stagingName(basename(dir), 'partial'));
  const previous = join(parent, stagingName(basename(dir), 'previous'));
  try {
    await mkdir(staging, { recursive: true });
    for (const [name, data] of entries) await writeFile(join(staging, name), data, { mode: 0o644 });
    await rename(dir, previous).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, dir);
    await syncDirectory(parent);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Put the previous package back if the swap got only halfway (a no-op when it never moved or dir is there).
    await rename(previous, dir).catch(() => undefined);
    throw new TopologyPackageError(`unpacking into ${dir} failed: ${messageOf(error)}`, { code: 'PACKAGE_IO', cause: error });
  } finally {
    await rm(previous, { recursive: true, force: true });
  }
}

function missing(where: string, entry: string): TopologyPackageError {
  return new TopologyPackageError(`${where}: entry '${entry}' is missing`, { code: 'PACKAGE_MISSING_ENTRY' });
}

function badEntry(where: string, entry: string, problem: string, cause?: unknown): TopologyPackageError {
  return new TopologyPackageError(`${where}: entry '${entry}' ${problem}`, { code: 'PACKAGE_BAD_ENTRY', cause });
}
