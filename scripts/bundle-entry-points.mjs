// Bundles Egret's process entry points from dist/bin/ into dist/bundle/, for scripts/build.mjs: the `egret` command
// (egret-command) and the processes a topology runs (egret-scheduler, egret-executor, egret-tmanager, egret-stmgr,
// egret-metricsmgr, egret-instance).
//
// Why: a local topology of two containers is 14 Node processes started at once, and each spent most of its start
// loading its module graph: 550-600 ES modules and 100-200 CommonJS files per process (a resolution, a stat and a
// read per file, the CommonJS lexer), 0.6-1 s of CPU each on this two-core machine; `egret kill` spent 0.6 s of CPU
// before doing anything. Bundled, a process reads a handful of files and starts in well under half the CPU time
// (bench/lifecycle.ts measures the whole lifecycle).
//
// The bundles are an optimization, not a second program: the unbundled entry points stay in dist/bin/ and run
// when EGRET_UNBUNDLED is set (core/submit/installed-entry-point.ts). The output files sit flat in dist/bundle/:
// the entry points, the chunks they import, and the vendor file of the packages they all load (inversify, winston),
// CommonJS with a code cache (scripts/vendor-packages.mjs).
// Measured here (CPU to start, min of 8, on a loaded two-core machine): `egret kill` of an unknown topology 0.61-0.73 s
// unbundled, 0.22 s bundled; `egret --version` 0.26 s and 0.12 s; a stream manager 0.6 s and 0.2-0.3 s.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { build, transform } from 'esbuild';
import { writeCodeCaches } from './cached-modules.mjs';
import { buildVendorFile, vendorPackages } from './vendor-packages.mjs';

/** The bundled entry points: each becomes dist/bundle/<name>.js, what they import dynamically dist/bundle/chunk-<hash>.js. */
export const BUNDLED_ENTRY_POINTS = ['egret-command', 'egret-scheduler', 'egret-executor', 'egret-tmanager', 'egret-stmgr', 'egret-metricsmgr', 'egret-instance'];

/**
 * Bundled worker threads, by bundle name: the module each is made from, in dist/. The instance's task thread loads a
 * module graph of its own (55 modules) in every instance process; runtime/instance/gateway/task-thread.ts picks the
 * bundle when there is one.
 */
export const BUNDLED_WORKERS = { 'egret-task-worker': 'runtime/instance/task/task-worker.js' };

/**
 * Left to Node's resolution at run time: esbuild (it drives a native binary; only `egret submit` uses it, lazily),
 * the AWS SDK (megabytes, imported on first use of S3), node-gyp-build (the native addon's loader).
 */
const EXTERNAL_PACKAGES = ['esbuild', '@aws-sdk/*', 'node-gyp-build'];

/** How long a file of an earlier build stays in dist/bundle/ once no entry point of the current one needs it. */
const STALE_OUTPUT_MS = 60 * 60_000;

/**
 * Egret's modules that user code loads from dist/ too, so that both share one copy of their classes: a topology
 * module imports the API from dist/api/ (core/topology/topology-bundler.ts), and `egret` checks what it gets with
 * `instanceof` (a TopologyError from the user's builder must be one). The API's own imports of core come along.
 * External plugins import `egret/spi` from dist/ as well; that copy is recognized across copies (isEgretError and
 * the error's name, like core/uploader/upload-error.ts), which is why the bundles keep every class's name.
 */
function isSharedWithUserCode(distDir, path) {
  return path.startsWith(join(distDir, 'api') + sep) || path === join(distDir, 'core', 'errors.js') || path === join(distDir, 'core', 'suggest.js');
}

/**
 * Keeps the modules shared with user code out of the bundles (imported from dist/ at run time), and keeps
 * `import.meta.url` meaning "where tsc put this module" in every bundled module: the code finds files relative to
 * itself (the instance's task worker, the native addon, conf/, package.json, the API a topology imports), and those
 * stay in dist/. Each module that mentions it gets the URL of its dist/ file, relative to the bundle, so that the
 * installation can move.
 */
function distModules(distDir, outdir) {
  const fromBundle = (path) => relative(outdir, path).split(sep).join('/');
  return {
    name: 'dist-modules',
    setup(pluginBuild) {
      // zod comes from the API's copy (api/zod.ts), loaded once per process whoever asks first: `egret submit` loaded
      // two before, its own and the one a spec file needs.
      pluginBuild.onResolve({ filter: /^zod$/ }, () => ({ path: 'zod', namespace: 'egret-zod' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'egret-zod' }, () => ({
        contents: `import { zod } from ${JSON.stringify(fromBundle(join(distDir, 'api', 'zod.js')))}; export const z = zod();`,
        resolveDir: outdir,
        loader: 'js',
      }));
      pluginBuild.onResolve({ filter: /^\.\.?\// }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        if (!isSharedWithUserCode(distDir, path) || isSharedWithUserCode(distDir, args.importer)) return undefined;
        return { path: fromBundle(path), external: true };
      });
      pluginBuild.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        // A parser, not a text replacement: a string may mention import.meta.url too (the topology bundler's banner).
        const { code } = await transform(text, { loader: 'js', format: 'esm', define: { 'import.meta.url': '__egretModuleUrl' }, sourcemap: 'inline', sourcefile: args.path });
        // On the first line (in place of a hashbang), so that the inline source map's lines still match.
        const declaration = `const __egretModuleUrl = new URL(${JSON.stringify(fromBundle(args.path))}, import.meta.url).href;`;
        const contents = code.startsWith('#!') ? code.replace(/^#!.*/, declaration) : `${declaration} ${code}`;
        return { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Builds dist/bundle/ from dist/bin/ (run after tsc); returns the bundle directory. An entry point's static imports
 * go to its own file, and a dynamic import (the built-in plugins, a plugin's implementation, a command's action, axios
 * for the http downloader) to a chunk of its own, loaded when first needed: `egret --version` then reads a fraction
 * of what `egret submit` reads, and each process parses what it runs.
 *
 * A rebuild must not pull a file from under a process that is starting (several people build on one machine while
 * tests run topologies): chunks are named by their content, every file is written aside and renamed (chunks before
 * the entry points that import them), and a file this build did not write is removed only once it is older than
 * {@link STALE_OUTPUT_MS}, by when a process started on an earlier build has loaded what it loads at start.
 */
export async function bundleEntryPoints(root) {
  const distDir = join(root, 'dist');
  const outdir = join(distDir, 'bundle');
  const entryPoints = {
    ...Object.fromEntries(BUNDLED_ENTRY_POINTS.map((name) => [name, join(distDir, 'bin', `${name}.js`)])),
    ...Object.fromEntries(Object.entries(BUNDLED_WORKERS).map(([name, path]) => [name, join(distDir, ...path.split('/'))])),
  };
  await mkdir(outdir, { recursive: true });
  // The packages every process loads come from one CommonJS file with a code cache (scripts/vendor-packages.mjs
  // says why), written before the bundles that read it.
  const vendorName = await buildVendorFile(root, outdir, writeAside);
  await writeCodeCaches(root, { vendor: join(outdir, vendorName) });
  // One build per entry point: its static imports go to the entry's own file, and only what it imports dynamically
  // to chunks. A build of all of them at once split the code the entry points share into some thirty chunks per
  // process, each a resolution and a module of its own to load (about 10% of an instance's start-up CPU).
  const options = {
    outdir,
    chunkNames: 'chunk-[hash]',
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL_PACKAGES,
    // Error names are part of the contract (`error.name`, logs), and esbuild would rename colliding classes.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    // CommonJS dependencies bundled into ES modules require Node's built-ins.
    // One require per process, not one per chunk (createRequire costs a resolution each time): every chunk sits in
    // dist/bundle/, so they all resolve alike.
    banner: { js: "import { createRequire as __egretCreateRequire } from 'node:module'; const require = (globalThis.__egretRequire ??= __egretCreateRequire(import.meta.url));" },
    plugins: [vendorPackages(vendorName, join(distDir, 'core', 'cached-commonjs.js')), distModules(distDir, outdir)],
    logLevel: 'warning',
  };
  const results = await Promise.all(Object.entries(entryPoints).map(([name, path]) => build({ ...options, entryPoints: { [name]: path } })));
  // Builds share chunks of the same content, hence of the same name; the same name with other content would be a bug.
  const outputFiles = new Map();
  for (const file of results.flatMap((result) => result.outputFiles)) {
    const seen = outputFiles.get(file.path);
    if (seen && Buffer.compare(seen.contents, file.contents) !== 0) throw new Error(`two bundles of different content are both named ${file.path}`);
    outputFiles.set(file.path, file);
  }
  const isChunk = (path) => basename(path).startsWith('chunk-');
  const ordered = [...outputFiles.values()].sort((a, b) => Number(isChunk(b.path)) - Number(isChunk(a.path)));
  const written = new Set([vendorName, `${vendorName}.v8cache`]);
  for (const file of ordered) {
    await writeAside(file.path, file.contents);
    written.add(basename(file.path));
  }
  const now = Date.now();
  for (const name of await readdir(outdir)) {
    if (written.has(name)) continue;
    const path = join(outdir, name);
    const age = now - (await stat(path).catch(() => ({ mtimeMs: now }))).mtimeMs;
    if (age > STALE_OUTPUT_MS) await rm(path, { force: true });
  }
  return outdir;
}

/** Writes `contents` beside `path`, then renames it there: a process loading `path` meanwhile reads one whole version. */
export async function writeAside(path, contents) {
  const staging = `${path}.${process.pid}.tmp`;
  await writeFile(staging, contents);
  await rename(staging, path);
}
