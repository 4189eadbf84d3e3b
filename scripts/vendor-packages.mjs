// The packages that every bundled Egret process loads, in one CommonJS file with a V8 code cache, for
// scripts/bundle-entry-points.mjs: dist/bundle/vendor-<hash>.cjs.
//
// Why: inversify (with reflect-metadata) and winston were most of the ES module code of each process's bundle, some
// 700 KB that V8 compiled from source at every start, since Node 20 keeps no compile cache of ES modules. Loaded as
// CommonJS with a code cache (core/cached-commonjs.ts), both and a logger's first line took 70-80 ms of CPU instead
// of 87-93 ms as an ES module bundle (means of 31 starts each, two rounds; `node -e 0` takes 20 ms). A topology of 2
// containers starts 13 processes that load them, `egret` the 14th.
//
// The bundles read each package from the file through `globalThis.__egretVendor` (one copy per thread, whoever asks
// first), and each package is evaluated when first read: an instance never loads inversify.
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** The packages of the vendor file: every specifier of them that Egret's modules import. */
export const VENDOR_PACKAGES = ['reflect-metadata', 'inversify', '@inversifyjs/common', '@inversifyjs/core', '@inversifyjs/container', '@inversifyjs/plugin', 'winston', 'winston-transport'];

const NAMESPACE = 'egret-vendor';

/**
 * winston's debug output (@dabh/diagnostics, which prints only for a DEBUG naming one of winston's namespaces) from
 * the package's production build, which prints only when forced, instead of its development build: that one loads
 * colour libraries and reads DEBUG as winston loads, a third of what winston cost a process to load, 15 ms of CPU of
 * 45 (means of 31 starts of a process that loads winston and logs a line). Egret never asks for winston's debugging.
 */
const quietWinstonDiagnostics = {
  name: 'quiet-winston-diagnostics',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@dabh\/diagnostics$/ }, (args) => pluginBuild.resolve('@dabh/diagnostics/node/production.js', { resolveDir: args.resolveDir, kind: args.kind }));
  },
};

/**
 * Writes outdir/vendor-<hash>.cjs (with `writeAside`), the packages of {@link VENDOR_PACKAGES} as lazy getters;
 * returns its name. Its code cache is written by scripts/cached-modules.mjs's writeCodeCaches (kind `vendor`).
 */
export async function buildVendorFile(root, outdir, writeAside) {
  const entry = `'use strict';\n${VENDOR_PACKAGES.map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(name)}) });`).join('\n')}\n`;
  const result = await build({
    stdin: { contents: entry, resolveDir: root, sourcefile: 'vendor-entry.cjs', loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // As in the bundles: some packages read their functions' and classes' names.
    keepNames: true,
    write: false,
    outfile: join(outdir, 'vendor.cjs'),
    plugins: [quietWinstonDiagnostics],
    logLevel: 'warning',
  });
  const [output] = result.outputFiles;
  const name = `vendor-${createHash('sha256').update(output.contents).digest('hex').slice(0, 10).toUpperCase()}.cjs`;
  await writeAside(join(outdir, name), output.contents);
  return name;
}

/**
 * An esbuild plugin: every import of a vendor package in a bundle reads it from the vendor file `vendorName` in
 * dist/bundle/, loaded once per thread with its code cache by dist/core/cached-commonjs.js (`cachedCommonJs`).
 * `globalThis.__egretRequire` is the require that every bundle file's banner defines, resolving from dist/bundle/.
 */
export function vendorPackages(vendorName, cachedCommonJs) {
  const filter = new RegExp(`^(${VENDOR_PACKAGES.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'vendor-packages',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter }, (args) => ({ path: args.path, namespace: NAMESPACE }));
      pluginBuild.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `const { requireCached } = require(${JSON.stringify(cachedCommonJs)});
module.exports = (globalThis.__egretVendor ??= requireCached(globalThis.__egretRequire.resolve(${JSON.stringify(`./${vendorName}`)})))[${JSON.stringify(args.path)}];`,
        loader: 'js',
        // esbuild resolves even an absolute path from a directory.
        resolveDir: dirname(cachedCommonJs),
      }));
    },
  };
}
