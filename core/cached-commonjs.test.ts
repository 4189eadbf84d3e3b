import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { codeCacheFile } from './cached-commonjs.js';
import { RUNTIME_NODE_OPTIONS } from './submit/installed-entry-point.js';

const loader = new URL('./cached-commonjs.js', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'cached-commonjs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `code` in a new Node, without NODE_OPTIONS and with `flags` (none by default), with the loader's exports in scope. */
function inNode(code: string, flags: string[] = []): string {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const script = `const { requireCached, writeCodeCache, codeCacheUse } = await import(${JSON.stringify(loader)}); ${code}`;
  return execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8', env }).trim();
}

/** Loads `file` in a new Node: what it exports (its `value`) and how the cache was used. */
function load(file: string, flags: string[] = []): { value: unknown; use: string } {
  const code = `const value = requireCached(${JSON.stringify(file)}).value; console.log(JSON.stringify({ value, use: codeCacheUse(${JSON.stringify(file)}) }));`;
  return JSON.parse(inNode(code, flags)) as { value: unknown; use: string };
}

function moduleFile(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

describe('requireCached', () => {
  it('loads a CommonJS file as require would: exports, module.exports, require, __filename', () => {
    const file = moduleFile('plain.cjs', "const { basename } = require('node:path'); module.exports = { value: [basename(__filename), typeof exports, this === module.exports] };");
    assert.deepEqual(load(file), { value: ['plain.cjs', 'object', true], use: 'absent' });
  });

  it('uses the cache the build wrote, and a flagless Node accepts it', () => {
    const file = moduleFile('cached.cjs', 'exports.value = [1, 2, 3].map((n) => n * 2);');
    inNode(`writeCodeCache(${JSON.stringify(file)});`);
    assert.deepEqual(load(file), { value: [2, 4, 6], use: 'used' });
  });

  it('never hands V8 the cache of another source, even one of the same length', () => {
    const file = moduleFile('changed.cjs', 'exports.value = "before";');
    inNode(`writeCodeCache(${JSON.stringify(file)});`);
    writeFileSync(file, 'exports.value = "after!";');
    assert.deepEqual(load(file), { value: 'after!', use: 'stale' });
  });

  it('compiles from source when the cache is damaged, without handing it to V8', () => {
    const file = moduleFile('damaged.cjs', 'exports.value = "still loads";');
    inNode(`writeCodeCache(${JSON.stringify(file)});`);
    const cache = readFileSync(codeCacheFile(file));
    writeFileSync(codeCacheFile(file), Buffer.concat([cache.subarray(0, 40), Buffer.alloc(cache.length - 40, 7)]));
    assert.deepEqual(load(file), { value: 'still loads', use: 'stale' });
    writeFileSync(codeCacheFile(file), cache.subarray(0, 10));
    assert.deepEqual(load(file), { value: 'still loads', use: 'stale' });
  });

  it('compiles from source when V8 rejects the cache (made under other V8 flags)', () => {
    const file = moduleFile('flags.cjs', 'exports.value = "compiled";');
    inNode(`writeCodeCache(${JSON.stringify(file)});`);
    assert.deepEqual(load(file, ['--max-old-space-size=300']), { value: 'compiled', use: 'rejected' });
  });

  it('throws as require does for a file that is not there', () => {
    assert.throws(() => inNode(`requireCached(${JSON.stringify(join(dir, 'missing.cjs'))});`), /ENOENT/);
  });
});

describe('the built files loaded with a cache', () => {
  // The build writes both with their caches (scripts/cached-modules.mjs); a cache V8 rejects would cost every process.
  // A topology's processes run with RUNTIME_NODE_OPTIONS, the `egret` command without options: both must take it.
  for (const relative of ['../api/zod.cjs', './proto/generated/egret-proto.cjs']) {
    for (const [who, flags] of [['a topology process', [...RUNTIME_NODE_OPTIONS]], ['the egret command', []]] as const) {
      it(`${relative.replace(/^.*\//, '')}: its cache is used by ${who}`, () => {
        const file = fileURLToPath(new URL(relative, import.meta.url));
        assert.equal(inNode(`requireCached(${JSON.stringify(file)}); console.log(codeCacheUse(${JSON.stringify(file)}));`, [...flags]), 'used');
      });
    }
  }
});
