#!/usr/bin/env node
// Builds Egret: generates the protobuf code from core/proto/*.proto, compiles TypeScript to dist/, then bundles the
// runtime processes' entry points into dist/bundle/.
// Run by `npm install` (prepare) and `npm test` (pretest); `npm run build` runs it by hand.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntryPoints } from './bundle-entry-points.mjs';
import { buildCachedModules } from './cached-modules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoDir = join(root, 'core', 'proto');
const generatedDir = join(protoDir, 'generated');
const generated = join(generatedDir, 'egret-proto.js');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

function newestMtime(files) {
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto')).map((f) => join(protoDir, f));
if (protos.length > 0) {
  let fresh = false;
  try {
    fresh = statSync(generated).mtimeMs >= newestMtime([...protos, fileURLToPath(import.meta.url)]);
  } catch {
    fresh = false;
  }
  if (!fresh) {
    mkdirSync(generatedDir, { recursive: true });
    // static-module: encoders and decoders are generated code, not reflection; -d writes the .d.ts beside it.
    run(bin('pbjs'), ['-t', 'static-module', '-w', 'esm', '--es6', '-d', '--no-typeurl', '-p', protoDir, '-o', generated, ...protos]);
  }
}

run(bin('tsc'), ['-p', 'tsconfig.json']);

// tsc never deletes: the output of a source file that was moved or removed would stay in dist/ and keep old imports
// (and tests) working here while a clean clone fails. Remove every compiled file whose source is gone.
function pruneStale(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // dist/bundle/ has no sources of its own: it is rebuilt whole below.
    if (path === bundleDir) continue;
    if (entry.isDirectory()) {
      pruneStale(path);
      continue;
    }
    const stem = entry.name.replace(/(\.d\.ts|\.js\.map|\.d\.ts\.map|\.js)$/, '');
    if (stem === entry.name) continue;
    const source = join(root, dir.slice(join(root, 'dist').length), stem);
    if (!existsSync(`${source}.ts`) && !existsSync(`${source}.js`)) rmSync(path);
  }
}
const bundleDir = join(root, 'dist', 'bundle');
pruneStale(join(root, 'dist'));

// tsc derives a weaker .d.ts from the generated JavaScript; ship the one pbjs wrote instead.
if (protos.length > 0) {
  const out = join(root, 'dist', 'core', 'proto', 'generated');
  mkdirSync(out, { recursive: true });
  copyFileSync(join(generatedDir, 'egret-proto.d.ts'), join(out, 'egret-proto.d.ts'));
}

// dist/api/zod.cjs and the generated messages as CommonJS files with V8 code caches (core/cached-commonjs.ts says why).
await buildCachedModules(root, generated);

// The processes of a running topology start from bundles of their entry points (scripts/bundle-entry-points.mjs says why).
await bundleEntryPoints(root);

// Entry points with a shebang are commands (`npx egret`): tsc writes them without the executable bit, and npm
// links the package's bins before `prepare` builds them, so mark them here.
const binDir = join(root, 'dist', 'bin');
if (existsSync(binDir)) {
  for (const file of readdirSync(binDir).filter((f) => f.endsWith('.js'))) {
    const path = join(binDir, file);
    if (readFileSync(path, 'utf8').startsWith('#!')) chmodSync(path, 0o755);
  }
}
