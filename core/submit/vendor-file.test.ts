import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RUNTIME_NODE_OPTIONS } from './installed-entry-point.js';

// The vendor file of the bundles (scripts/vendor-packages.mjs): the packages every process loads, in one CommonJS
// file with a code cache.
const bundleDir = fileURLToPath(new URL('../../bundle/', import.meta.url));
const cachedCommonJs = new URL('../cached-commonjs.js', import.meta.url).href;
const PACKAGES = ['reflect-metadata', 'inversify', '@inversifyjs/common', '@inversifyjs/core', '@inversifyjs/container', '@inversifyjs/plugin', 'winston', 'winston-transport'];

/**
 * The files of the current build: the entry points and the chunks they import, statically or not (dist/bundle/ keeps
 * an earlier build's files for an hour).
 */
function bundleFiles(): string[] {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const match of readFileSync(join(bundleDir, name), 'utf8').matchAll(/["'](?:\.\/)(chunk-[A-Z0-9]+\.js)["']/g)) visit(match[1] as string);
  };
  for (const name of readdirSync(bundleDir).filter((file) => /^egret-[a-z-]+\.js$/.test(file))) visit(name);
  return [...seen];
}

describe('the vendor file of the bundles', () => {
  const referenced = new Set(bundleFiles().flatMap((name) => [...readFileSync(join(bundleDir, name), 'utf8').matchAll(/"\.\/(vendor-[0-9A-F]+\.cjs)"/g)].map((match) => match[1] as string)));

  it('is one file, which the bundles name and the build wrote', () => {
    assert.equal(referenced.size, 1, `the bundles name ${[...referenced].join(', ') || 'no vendor file'}`);
    const [name] = referenced;
    assert.ok(readdirSync(bundleDir).includes(name as string));
  });

  it('holds every package, loaded with a code cache V8 accepts under the runtime options', () => {
    const [name] = referenced;
    const file = join(bundleDir, name as string);
    const script = `const { requireCached, codeCacheUse } = await import(${JSON.stringify(cachedCommonJs)});
const vendor = requireCached(${JSON.stringify(file)});
console.log(JSON.stringify({ use: codeCacheUse(${JSON.stringify(file)}), packages: Object.keys(vendor), container: typeof vendor.inversify.Container, logger: typeof vendor.winston.createLogger }));`;
    const run = spawnSync(process.execPath, [...RUNTIME_NODE_OPTIONS, '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { use: 'used', packages: PACKAGES, container: 'function', logger: 'function' });
  });

  it('is the only copy of its packages: no bundle file bundles one of them', () => {
    for (const name of bundleFiles()) {
      const map = JSON.parse(readFileSync(join(bundleDir, `${name}.map`), 'utf8')) as { sources: string[] };
      const copies = map.sources.filter((source) => PACKAGES.some((pkg) => source.includes(`node_modules/${pkg}/`)));
      assert.deepEqual(copies, [], `${name} bundles ${copies.join(', ')}`);
    }
  });
});
