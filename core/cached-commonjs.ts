import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/**
 * Large generated CommonJS files (zod, the protobuf messages) loaded with a V8 code cache written beside them at
 * build time. Every process of a topology loads both, and parsing them was a large part of its start: zod 61 -> 26 ms
 * of CPU, the messages 32 -> 18 ms on this machine (median of 15). Node 20 has no compile cache of its own
 * (`module.enableCompileCache` came in 22), so the file is compiled here, as Node's loader would, with the cache.
 *
 * The cache is an optimization only: missing, stale or rejected by V8 (another Node, other V8 flags), the file is
 * compiled from source as `require` would. V8 checks a cache against the source's length only, and a damaged cache
 * may not be caught at all, so the cache file starts with the SHA-256 of the source it was made from and of the cache
 * itself: V8 is never handed the cache of another source, or a cache that changed on disk.
 */

/** What {@link requireCached} did for a file, for tests and diagnostics. */
export type CodeCacheUse = 'used' | 'absent' | 'stale' | 'rejected';

const HASH_BYTES = 32;
const uses = new Map<string, CodeCacheUse>();

/** The cache file of `file`. */
export function codeCacheFile(file: string): string {
  return `${file}.v8cache`;
}

/** How the last {@link requireCached} of `file` in this thread used its cache; undefined if not loaded here. */
export function codeCacheUse(file: string): CodeCacheUse | undefined {
  return uses.get(file);
}

/**
 * Loads the CommonJS module `file` (a path or file URL) and returns its exports, like `require`, compiled from its
 * code cache when there is a valid one. Each call evaluates the file again: callers keep the result. Throws what
 * `require` would for a missing or failing file.
 */
export function requireCached(file: string | URL): unknown {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const bytes = readFileSync(path);
  const cache = readCache(path, bytes);
  const script = compile(path, bytes.toString('utf8'), cache.data);
  uses.set(path, cache.data && script.cachedDataRejected ? 'rejected' : cache.use);
  return evaluate(path, script);
}

/**
 * Writes the code cache of `file`, for the build: compiles and evaluates it, then runs `exercise` on its exports,
 * so that what runs on loading, and what `exercise` calls, is compiled and cached too (V8 compiles a function when
 * it is first called); then writes the cache aside and renames it into place. Run in a process with the V8 flags of
 * the processes that will load it: a topology's processes run Node with RUNTIME_NODE_OPTIONS
 * (core/submit/installed-entry-point.ts), which V8 does not count among the flags a cache depends on today.
 */
export function writeCodeCache(file: string, exercise?: (exports: unknown) => void): void {
  const bytes = readFileSync(file);
  const script = compile(file, bytes.toString('utf8'), undefined);
  const exports = evaluate(file, script);
  exercise?.(exports);
  const target = codeCacheFile(file);
  const staging = `${target}.${process.pid}.tmp`;
  const data = script.createCachedData();
  writeFileSync(staging, Buffer.concat([digest(bytes, data), data]));
  renameSync(staging, target);
}

function readCache(path: string, source: Buffer): { data: Buffer | undefined; use: CodeCacheUse } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(codeCacheFile(path));
  } catch {
    return { data: undefined, use: 'absent' };
  }
  if (bytes.length <= HASH_BYTES) return { data: undefined, use: 'stale' };
  const data = bytes.subarray(HASH_BYTES);
  if (!bytes.subarray(0, HASH_BYTES).equals(digest(source, data))) return { data: undefined, use: 'stale' };
  return { data, use: 'used' };
}

function digest(source: Buffer, data: Buffer): Buffer {
  return createHash('sha256').update(source).update(data).digest();
}

// The same wrapper as Node's CommonJS loader, so that the file sees the variables a module sees.
function compile(path: string, source: string, cachedData: Buffer | undefined): Script {
  return new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: path, cachedData });
}

function evaluate(path: string, script: Script): unknown {
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(path), module, path, dirname(path));
  return module.exports;
}
