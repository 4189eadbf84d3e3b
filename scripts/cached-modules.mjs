// The large CommonJS files that Egret's processes load with a V8 code cache (core/cached-commonjs.ts says why), for
// scripts/build.mjs: zod (dist/api/zod.cjs, api/zod.ts) and the protobuf messages pbjs generated
// (dist/core/proto/generated/egret-proto.cjs). Each is one file, bundled with what it imports, with its cache beside it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { writeAside } from './bundle-entry-points.mjs';

/**
 * The module that replaces tsc's output for the generated messages in dist/: the code that imports
 * core/proto/generated/egret-proto.js (in dist/ and in the bundles) gets `heron` from the CommonJS file instead.
 */
const PROTO_SHIM = `// Written by scripts/cached-modules.mjs: pbjs's messages are in egret-proto.cjs, loaded with their V8 code cache.
import { requireCached } from '../../cached-commonjs.js';

export const heron = requireCached(new URL('./egret-proto.cjs', import.meta.url)).heron;
`;

/** Builds both files and their caches (after tsc: the cache is written by dist/core/cached-commonjs.js). */
export async function buildCachedModules(root, generatedProto) {
  const zod = join(root, 'dist', 'api', 'zod.cjs');
  await bundleCommonJs({ stdin: { contents: "export { z } from 'zod';", resolveDir: root, loader: 'js' } }, zod);
  const protoDir = join(root, 'dist', 'core', 'proto', 'generated');
  const proto = join(protoDir, 'egret-proto.cjs');
  await bundleCommonJs({ entryPoints: [generatedProto] }, proto);
  await writeAside(join(protoDir, 'egret-proto.js'), PROTO_SHIM);
  await writeCodeCaches(root, { zod, proto });
}

/**
 * Writes `input` and what it imports as one CommonJS file at `outfile` (no source map), in ASCII: esbuild escapes
 * strings but keeps the comments it keeps as they are, and one character beyond ASCII (zod has two, in comments)
 * makes the whole file a two-byte string, slower to decode (3 ms for zod) and to hash.
 */
async function bundleCommonJs(input, outfile) {
  const result = await build({ ...input, outfile, write: false, bundle: true, format: 'cjs', platform: 'node', target: 'node20', keepNames: true, logLevel: 'warning' });
  // A \u escape means the same character in a string, a regular expression or a name; in a comment it is text.
  const ascii = result.outputFiles[0].text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  await writeAside(outfile, ascii);
}

/**
 * Writes the caches of `files` (kind → file, the kinds of scripts/write-code-caches.mjs) in a Node of its own, without
 * NODE_OPTIONS and with the options a topology's processes run with (RUNTIME_NODE_OPTIONS,
 * core/submit/installed-entry-point.ts): V8 rejects a cache made under other flags. After tsc: the cache is written by
 * dist/core/cached-commonjs.js.
 */
export async function writeCodeCaches(root, files) {
  const dist = join(root, 'dist');
  const { RUNTIME_NODE_OPTIONS } = await import(pathToFileURL(join(dist, 'core', 'submit', 'installed-entry-point.js')).href);
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  execFileSync(process.execPath, [...RUNTIME_NODE_OPTIONS, join(root, 'scripts', 'write-code-caches.mjs'), dist, ...Object.entries(files).map(([kind, file]) => `${kind}=${file}`)], { stdio: 'inherit', env });
}
