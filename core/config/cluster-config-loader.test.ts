import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { CLUSTER_CONFIG_FILES, listClusters, loadClusterConfig } from './cluster-config-loader.js';
import { defaultConfigPath } from './config-path.js';
import { ConfigError } from './config-error.js';
import { describeSource } from './config-source.js';

describe('loadClusterConfig', () => {
  it('merges the files in the documented order, then the command line, remembering every source', () => {
    const files: Record<string, string> = {};
    // Every file sets `k` to its own name; a later one must win.
    for (const name of CLUSTER_CONFIG_FILES) files[`c/${name}.yaml`] = `# ${name}\nk: ${name}\n${name}.only: 1\n`;
    const dir = tempDir(files);
    const config = loadClusterConfig({ configPath: dir, cluster: 'c', properties: ['k=cli'] });
    assert.equal(config.get('k'), 'cli');
    const entry = config.entry('k');
    assert.ok(entry);
    assert.equal(describeSource(entry.source), '--config-property');
    assert.deepEqual(
      entry.overridden.map((o) => (o.source.kind === 'file' ? `${o.source.file.slice(dir.length + 3)}:${o.source.line}` : o.source.kind)),
      ['override.yaml:2', 'uploader.yaml:2', 'statemgr.yaml:2', 'scheduler.yaml:2', 'packing.yaml:2', 'client.yaml:2'],
    );
    for (const name of CLUSTER_CONFIG_FILES) assert.equal(config.get(`${name}.only`), 1);
  });

  it('treats missing files as empty', () => {
    const dir = tempDir({ 'c/packing.yaml': 'egret.packing: round-robin\n' });
    const config = loadClusterConfig({ configPath: dir, cluster: 'c' });
    assert.deepEqual(config.toMap(), { 'egret.packing': 'round-robin' });
  });

  it('names the known clusters when the cluster is unknown', () => {
    const dir = tempDir({ 'a/client.yaml': '', 'b/client.yaml': '' });
    assert.throws(
      () => loadClusterConfig({ configPath: dir, cluster: 'zz' }),
      (error: ConfigError) => error.code === 'CONFIG_UNKNOWN_CLUSTER' && /unknown cluster 'zz'/.test(error.message) && /clusters in .*: a, b/.test(error.message),
    );
  });

  it('refuses a cluster name that climbs out of the config path', () => {
    const dir = tempDir({ 'a/client.yaml': '' });
    assert.throws(() => loadClusterConfig({ configPath: join(dir, 'a'), cluster: '..' }), { code: 'CONFIG_UNKNOWN_CLUSTER' });
  });

  it('fails for a missing config path', () => {
    assert.throws(() => loadClusterConfig({ configPath: '/nonexistent/egret-conf', cluster: 'local' }), { code: 'CONFIG_PATH_NOT_FOUND' });
  });

  it('refuses a YAML file it would not read, rather than ignore it silently', () => {
    const dir = tempDir({ 'c/client.yaml': '', 'c/schedular.yaml': 'egret.scheduler: local\n' });
    assert.throws(() => loadClusterConfig({ configPath: dir, cluster: 'c' }), (error: ConfigError) => error.code === 'CONFIG_UNKNOWN_FILE' && error.message.includes('schedular.yaml'));
  });

  it('reports YAML syntax errors with file, line and column', () => {
    const dir = tempDir({ 'c/packing.yaml': 'egret.packing: round-robin\negret.repacking: [unclosed\n' });
    assert.throws(() => loadClusterConfig({ configPath: dir, cluster: 'c' }), (error: ConfigError) => error.code === 'CONFIG_SYNTAX' && /packing\.yaml:\d+:\d+: invalid YAML/.test(error.message));
  });

  it('refuses duplicate keys and a file that is not a map', () => {
    const dup = tempDir({ 'c/packing.yaml': 'a: 1\na: 2\n' });
    assert.throws(() => loadClusterConfig({ configPath: dup, cluster: 'c' }), { code: 'CONFIG_SYNTAX' });
    const list = tempDir({ 'c/packing.yaml': '- a\n- b\n' });
    assert.throws(() => loadClusterConfig({ configPath: list, cluster: 'c' }), /expected a map of keys to values/);
  });

  it('ships the local and localzk clusters', () => {
    assert.deepEqual(listClusters(defaultConfigPath()), ['local', 'localzk']);
    const local = loadClusterConfig({ configPath: defaultConfigPath(), cluster: 'local' });
    assert.equal(local.get('egret.scheduler'), 'local');
    assert.equal(local.get('egret.statemgr'), 'localfs');
    assert.equal(local.get('egret.uploader'), 'localfs');
    assert.equal(local.get('egret.packing'), 'round-robin');
    const localzk = loadClusterConfig({ configPath: defaultConfigPath(), cluster: 'localzk' });
    assert.equal(localzk.get('egret.statemgr'), 'zookeeper');
  });
});
