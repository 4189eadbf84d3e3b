import 'reflect-metadata';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { describe, it } from 'node:test';
import { currentUser } from '../../core/config/config-variables.js';
import { Container } from 'inversify';
import { BUILT_IN_PLUGINS } from '../../bin/built-in-plugins.js';
import { builtInDownloadersModule } from '../../core/download/download-module.js';
import { DownloaderRegistry } from '../../core/download/downloader-registry.js';
import { downloaderModules } from '../../uploaders/downloaders.js';
import { uploaderPlugins } from '../../uploaders/index.js';
import { runEgret } from '../helpers/run-egret.js';

describe('the built-in uploaders and downloaders', () => {
  it('registers localfs, s3 and hdfs as uploader plugins of the egret binary', () => {
    const uploaders = BUILT_IN_PLUGINS.filter((plugin) => plugin.family === 'uploader').map((plugin) => plugin.name);
    assert.deepEqual(uploaders, ['localfs', 's3', 'hdfs']);
    assert.deepEqual(uploaderPlugins.map((plugin) => plugin.name), uploaders);
  });

  it('gives a fetching process a downloader for every scheme the uploaders return', async () => {
    const container = new Container();
    await container.load(builtInDownloadersModule, ...downloaderModules);
    assert.deepEqual(container.get<DownloaderRegistry>(DownloaderRegistry).schemes, ['file', 'hdfs', 'http', 'https', 's3', 'swebhdfs', 'webhdfs']);
  });

  it('shows the uploader’s keys and defaults in `egret config`, and names the key of a missing bucket', () => {
    const local = runEgret(['config', 'local']);
    // Core fills in the default's variables; ${TOPOLOGY} stays until a topology is named.
    const directory = `${homedir()}/.egret/packages/local/${currentUser()}/\${TOPOLOGY}`;
    assert.ok(local.stdout.includes(`egret.uploader.localfs.directory  ${directory}  default (plugin localfs)`), local.stdout);
    const s3 = runEgret(['config', 'local', '--config-property', 'egret.uploader=s3', '--format', 'json']);
    const report = JSON.parse(s3.stdout) as { plugins: Array<{ family: string; problem: string | null }> };
    assert.match(report.plugins.find((plugin) => plugin.family === 'uploader')?.problem ?? '', /egret\.uploader\.s3\.bucket: expected a bucket name/);
  });
});
