import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../native/load-addon.js';

// Builds prebuilds in a copy of the package (never touching this checkout's build/), packs it, installs the
// tarball into a fresh project from the registry, and runs the installed addon there with prebuilds only.
const NPM_TIMEOUT_MS = 10 * 60 * 1000;

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: NPM_TIMEOUT_MS });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${String(result.status ?? result.signal)}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('the packed package', () => {
  let work: string;
  let tarball: string;
  let installed: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'egret-pack-'));
    const staged = join(work, 'egret');
    mkdirSync(staged);
    for (const entry of ['package.json', 'binding.gyp', 'native/binding.gyp', 'native/src', 'dist', 'conf', 'examples']) {
      cpSync(join(PACKAGE_ROOT, entry), join(staged, entry), { recursive: true });
    }
    rmSync(join(staged, 'prebuilds'), { recursive: true, force: true });
    // prebuildify, node-gyp-build and node-addon-api's headers come from this checkout's dependencies.
    symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(staged, 'node_modules'), 'dir');
    run('npm', ['run', 'prebuild'], staged);
    rmSync(join(staged, 'build'), { recursive: true, force: true });
    const packed = join(work, 'packed');
    mkdirSync(packed);
    run('npm', ['pack', '--ignore-scripts', '--pack-destination', packed], staged);
    tarball = join(packed, readdirSync(packed).find((f) => f.endsWith('.tgz'))!);
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball], app);
    installed = join(app, 'node_modules', 'egret');
  });

  // EGRET_KEEP_PACK=1 keeps the staged package, the tarball and the project to look at after a failure.
  after(() => (process.env['EGRET_KEEP_PACK'] ? undefined : rmSync(work, { recursive: true, force: true })));

  it('ships the prebuild and the sources to build from, not a build directory', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    assert.ok(files.some((f) => /^package\/prebuilds\/linux-x64\/[^/]+\.node$/.test(f)), 'a linux-x64 prebuild');
    for (const file of ['package/binding.gyp', 'package/native/binding.gyp', 'package/native/src/binding.cc', 'package/native/src/engine.cc', 'package/dist/native/index.js']) {
      assert.ok(files.includes(file), file);
    }
    assert.ok(!files.some((f) => f.startsWith('package/build/')), 'no build/');
  });

  it('installs without compiling: no build/ directory, even when the install script runs again', () => {
    assert.equal(existsSync(join(installed, 'build')), false);
    // The install lifecycle again, as npm runs it: node-gyp-build finds the prebuild and stops there.
    run('npm', ['rebuild', 'egret', '--foreground-scripts'], join(installed, '..', '..'));
    assert.equal(existsSync(join(installed, 'build')), false);
  });

  it('routes tuples with the prebuild alone (PREBUILDS_ONLY=1)', () => {
    const child = join(installed, 'dist', 'test', 'native', 'children', 'data-path-child.js');
    const output = run(process.execPath, [child, 'report'], installed, { PREBUILDS_ONLY: '1' });
    const report = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>).find((r) => r['addon'])!;
    assert.match(String(report['addon']), /\/node_modules\/egret\/prebuilds\/linux-x64\/[^/]+\.node$/);
    assert.ok((report['tuples'] as number) >= 5000);
  });
});
