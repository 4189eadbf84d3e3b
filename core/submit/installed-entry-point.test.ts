import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installedEntryPoint, RUNTIME_NODE_OPTIONS, unbundledRequested } from './installed-entry-point.js';

describe('installedEntryPoint', () => {
  it('starts the bundle the build made, without source maps', () => {
    const bundle = fileURLToPath(new URL('../../bundle/egret-executor.js', import.meta.url));
    assert.ok(existsSync(bundle), 'scripts/build.mjs bundles the entry points');
    assert.deepEqual(installedEntryPoint('egret-executor', false), { command: process.execPath, args: ['--no-memory-reducer', bundle] });
  });

  it('starts the compiled module with source maps when asked to run unbundled', () => {
    assert.deepEqual(installedEntryPoint('egret-stmgr', true), { command: process.execPath, args: ['--no-memory-reducer', '--enable-source-maps', fileURLToPath(new URL('../../bin/egret-stmgr.js', import.meta.url))] });
  });

  it('runs Node with options this Node accepts', () => {
    for (const option of RUNTIME_NODE_OPTIONS) {
      const run = spawnSync(process.execPath, [option, '-e', '0'], { encoding: 'utf8' });
      assert.equal(run.status, 0, `${option}: ${run.stderr}`);
      assert.equal(run.stderr, '', `${option} is accepted without a warning`);
    }
  });

  it('reads EGRET_UNBUNDLED: set and neither empty nor 0', () => {
    assert.equal(unbundledRequested({}), false);
    assert.equal(unbundledRequested({ EGRET_UNBUNDLED: '' }), false);
    assert.equal(unbundledRequested({ EGRET_UNBUNDLED: '0' }), false);
    assert.equal(unbundledRequested({ EGRET_UNBUNDLED: '1' }), true);
    assert.equal(unbundledRequested({ EGRET_UNBUNDLED: 'yes' }), true);
  });
});
