import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir, writeFiles } from '../../test/helpers/temp-dir.js';
import { sampleTopology } from '../../test/helpers/sample-topology.js';
import { loadClusterConfig } from '../config/cluster-config-loader.js';
import { Packing } from '../spi/packing.js';
import { loadExternalPlugins } from './external-plugin-loader.js';
import { createPluginContainer } from './plugin-container.js';
import { PluginError } from './plugin-error.js';
import { PluginRegistry } from './plugin-registry.js';

/** The repository root (this file runs as dist/core/plugins/external-plugin-loader.test.js). */
const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'external-plugin');

/** A config path with one cluster `c` whose client.yaml lists `plugins` and whose packing.yaml selects `packing`. */
function clusterWith(plugins: string, packing = 'single-container', extra = ''): string {
  return tempDir({ 'c/client.yaml': `egret.plugins: ${plugins}\n`, 'c/packing.yaml': `egret.packing: ${packing}\n${extra}` });
}

describe('external plugins', () => {
  it('load by path from egret.plugins, relative to the file that lists them, and pack', async () => {
    const configPath = clusterWith(`[${join(fixtures, 'single-container-packing.js')}]`, 'single-container', 'example.single-container.cpu: 2\n');
    const config = loadClusterConfig({ configPath, cluster: 'c' });
    const registry = new PluginRegistry();
    const container = await createPluginContainer({ config, registry, families: ['packing'] });
    const plan = container.get<Packing>(Packing).pack(sampleTopology());
    assert.equal(plan.containers.length, 1);
    assert.equal(plan.containers[0]?.instances.length, 4);
    assert.equal(plan.containers[0]?.required.cpu, 8);
    const origin = registry.find('packing', 'single-container')?.origin;
    assert.equal(origin?.kind, 'external');
  });

  it('load each module once per registry, however many containers a process builds', async () => {
    const configPath = clusterWith(`[${join(fixtures, 'single-container-packing.js')}]`);
    const config = loadClusterConfig({ configPath, cluster: 'c' });
    const registry = new PluginRegistry();
    const first = await createPluginContainer({ config, registry, families: ['packing'] });
    const second = await createPluginContainer({ config, registry, families: ['packing'] });
    assert.equal(second.get<Packing>(Packing).pack(sampleTopology()).containers.length, first.get<Packing>(Packing).pack(sampleTopology()).containers.length);
    assert.deepEqual(registry.names('packing'), ['single-container']);
  });

  it('resolve a relative path against the YAML file, not the working directory', async () => {
    const configPath = tempDir({ 'c/packing.yaml': 'egret.packing: single-container\n' });
    writeFiles(configPath, { 'c/client.yaml': 'egret.plugins:\n  - ./plugins/p.js\n', 'c/plugins/p.js': `export { default } from ${JSON.stringify(join(fixtures, 'single-container-packing.js'))};\n` });
    const registry = new PluginRegistry();
    await loadExternalPlugins(loadClusterConfig({ configPath, cluster: 'c' }), registry);
    assert.deepEqual(registry.names('packing'), ['single-container']);
  });

  it('load an ESM-only npm package by name from node_modules beside the config', async () => {
    const configPath = clusterWith('[egret-packing-demo]');
    writeFiles(configPath, {
      'node_modules/egret-packing-demo/package.json': JSON.stringify({ name: 'egret-packing-demo', type: 'module', exports: { '.': { import: './lib/index.js' } } }),
      'node_modules/egret-packing-demo/lib/index.js': `export { default as plugins } from ${JSON.stringify(join(fixtures, 'single-container-packing.js'))};\n`,
    });
    // The package imports 'egret/spi' as a real third-party package would: give it an egret to find.
    symlinkSync(root, join(configPath, 'node_modules', 'egret'));
    const registry = new PluginRegistry();
    const loaded = await loadExternalPlugins(loadClusterConfig({ configPath, cluster: 'c' }), registry);
    assert.equal(loaded[0]?.origin.kind === 'external' && loaded[0].origin.specifier, 'egret-packing-demo');
  });

  it('fail with the list entry, its file and what was looked for when the module is missing', async () => {
    const config = loadClusterConfig({ configPath: clusterWith('[./nope.js, egret-no-such-package]'), cluster: 'c' });
    await assert.rejects(loadExternalPlugins(config, new PluginRegistry()), (error: PluginError) => error.code === 'PLUGIN_LOAD_FAILED' && /client\.yaml:1: egret\.plugins\[0\] '\.\/nope\.js': no such module/.test(error.message));
  });

  it('fail clearly for a malformed descriptor, a module that throws, and one that exports nothing', async () => {
    for (const [file, code, pattern] of [
      ['broken-descriptor.js', 'PLUGIN_MALFORMED', /malformed plugin descriptor 'My_Packer'.*family "packer"/],
      ['throws-on-load.js', 'PLUGIN_LOAD_FAILED', /loading .*throws-on-load\.js failed: the plugin could not find its licence file/],
      ['exports-nothing.js', 'PLUGIN_MALFORMED', /exports no plugin descriptor/],
    ] as const) {
      const config = loadClusterConfig({ configPath: clusterWith(`[${join(fixtures, file)}]`), cluster: 'c' });
      await assert.rejects(loadExternalPlugins(config, new PluginRegistry()), (error: PluginError) => error.code === code && pattern.test(error.message) && error.message.includes('egret.plugins[0]'), file);
    }
  });

  it('fail when the module does not bind its family token', async () => {
    const config = loadClusterConfig({ configPath: clusterWith(`[${join(fixtures, 'unbound-token.js')}]`, 'forgetful'), cluster: 'c' });
    await assert.rejects(createPluginContainer({ config, registry: new PluginRegistry(), families: ['packing'] }), {
      code: 'PLUGIN_MALFORMED',
      message: /the module of packing plugin 'forgetful' \(from .*unbound-token\.js\) does not bind the egret\.spi\.Packing token/,
    });
  });

  it('validate an external plugin config like a built-in one', async () => {
    const config = loadClusterConfig({ configPath: clusterWith(`[${join(fixtures, 'single-container-packing.js')}]`, 'single-container', 'example.single-container.cpu: -1\n'), cluster: 'c' });
    await assert.rejects(createPluginContainer({ config, registry: new PluginRegistry(), families: ['packing'] }), { code: 'PLUGIN_CONFIG_INVALID', message: /packing\.yaml:2: example\.single-container\.cpu/ });
  });

  it('refuse egret.plugins that is not a list of names', async () => {
    const config = loadClusterConfig({ configPath: clusterWith('{ a: 1 }'), cluster: 'c' });
    await assert.rejects(loadExternalPlugins(config, new PluginRegistry()), { code: 'PLUGIN_LOAD_FAILED', message: /expected a list of npm package names or module paths/ });
  });
});
