import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { Container } from 'inversify';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { Config } from '../../core/config/config.js';
import { configVariables, substituteVariables } from '../../core/config/config-variables.js';
import { validatePluginConfig } from '../../core/plugins/plugin-config-validator.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { Uploader } from '../../core/spi/uploader.js';
import { LocalFsUploader } from './localfs-uploader.js';
import { LocalFsUploaderConfig, localFsUploaderConfigSchema } from './localfs-uploader-config.js';
import { localFsUploaderPlugin } from './localfs-uploader-plugin.js';

const runtime = { topologyName: 'wc', topologyId: 'wc-1', cluster: 'local', role: 'ann', environment: 'default', submitUser: 'ann' };

function uploaderIn(directory: string): LocalFsUploader {
  return new LocalFsUploader(localFsUploaderConfigSchema.parse({ 'egret.uploader.localfs.directory': directory }), runtime);
}

describe('the localfs uploader', () => {
  it('is the uploader plugin named localfs, and its module binds Uploader for the runtime’s topology', async () => {
    assert.equal(localFsUploaderPlugin.family, 'uploader');
    assert.equal(localFsUploaderPlugin.name, 'localfs');
    const container = new Container();
    container.bind(LocalFsUploaderConfig).toConstantValue(localFsUploaderConfigSchema.parse({}));
    container.bind(TopologyRuntime).toConstantValue(runtime);
    await container.load(localFsUploaderPlugin.module);
    assert.ok(container.get<Uploader>(Uploader) instanceof LocalFsUploader);
  });

  it('defaults to ${HOME}/.egret/packages/${CLUSTER}/${ROLE}/${TOPOLOGY}, filled in for the topology', async () => {
    const home = tempDir({ 'p.tar.gz': 'package' });
    const saved = process.env['HOME'];
    process.env['HOME'] = home;
    try {
      // Through core's validation, as a real process does: it substitutes the variables of schema defaults.
      const config = substituteVariables(Config.empty(), configVariables({ cluster: 'local', role: 'ann', topology: 'wc' }));
      const uploader = new LocalFsUploader(validatePluginConfig(localFsUploaderPlugin, config) as LocalFsUploaderConfig, runtime);
      assert.equal(await uploader.upload(join(home, 'p.tar.gz')), pathToFileURL(join(home, '.egret/packages/local/ann/wc/wc.tar.gz')).href);
      await uploader.close();
    } finally {
      process.env['HOME'] = saved;
    }
  });

  it('undo removes the directories the upload created, and only those', async () => {
    const dir = tempDir({ 'p.tar.gz': 'package', 'existing/.keep': '' });
    const uploader = uploaderIn(join(dir, 'existing/new/deeper'));
    await uploader.upload(join(dir, 'p.tar.gz'));
    await uploader.undo();
    assert.equal(existsSync(join(dir, 'existing/new')), false);
    assert.deepEqual(readdirSync(join(dir, 'existing')), ['.keep']);
  });

  it('fails with UPLOADER_TARGET_NOT_FOUND when the directory cannot exist (a file is in the way)', async () => {
    const dir = tempDir({ 'p.tar.gz': 'package', 'a-file': '' });
    await assert.rejects(uploaderIn(join(dir, 'a-file/packages')).upload(join(dir, 'p.tar.gz')), { code: 'UPLOADER_TARGET_NOT_FOUND', message: /creating .*a-file\/packages: not found: ENOTDIR/ });
  });

  it('removes what uploads killed on this host left, but not the staging files of live processes or other hosts', async () => {
    const dir = tempDir({ 'p.tar.gz': 'package' });
    const target = join(dir, 'packages');
    mkdirSync(target);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const leftovers = [`.wc.tar.gz.${hostname()}.${dead}.0a1b2c3d.partial`, `.wc.tar.gz.${hostname()}.${dead}.0a1b2c3e.previous`];
    const kept = [`.wc.tar.gz.${hostname()}.${process.ppid}.0a1b2c3d.partial`, '.wc.tar.gz.other-host.1.0a1b2c3d.partial', 'notes.txt'];
    for (const name of [...leftovers, ...kept]) writeFileSync(join(target, name), 'x');
    const uploader = uploaderIn(target);
    await uploader.upload(join(dir, 'p.tar.gz'));
    await uploader.close();
    assert.deepEqual(readdirSync(target).sort(), [...kept, 'wc.tar.gz'].sort());
  });

  it('refuses a second operation while one runs, and undo after close', async () => {
    const dir = tempDir({ 'p.tar.gz': 'package' });
    const uploader = uploaderIn(join(dir, 'packages'));
    const first = uploader.upload(join(dir, 'p.tar.gz'));
    await assert.rejects(uploader.upload(join(dir, 'p.tar.gz')), { code: 'UPLOADER_FAILED', message: /another upload or undo is running/ });
    await first;
    await uploader.close();
    await assert.rejects(uploader.undo(), { code: 'UPLOADER_UNDO_FAILED', message: /closed/ });
  });
});
