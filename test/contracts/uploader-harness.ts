import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, ContainerModule } from 'inversify';
import type { ConfigValue } from '../../api/config-value.js';
import { Config } from '../../core/config/config.js';
import { configVariables, substituteVariables } from '../../core/config/config-variables.js';
import { builtInDownloadersModule } from '../../core/download/download-module.js';
import { DownloaderRegistry } from '../../core/download/downloader-registry.js';
import { createPluginContainer } from '../../core/plugins/plugin-container.js';
import type { PluginDescriptor } from '../../core/plugins/plugin-descriptor.js';
import { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { Uploader } from '../../core/spi/uploader.js';

/**
 * Builds uploaders and downloaders the way a host process does (a config, the plugin selected by name, its schema
 * validated, its real DI module loaded), for the uploader contract suite and its child processes.
 */

/** A TopologyRuntime for tests: cluster `test`, role `tester`. */
export function testRuntime(topologyName: string): TopologyRuntime {
  return { topologyName, topologyId: `${topologyName}-${randomBytes(4).toString('hex')}`, cluster: 'test', role: 'tester', environment: 'default', submitUser: 'tester' };
}

/**
 * A config of command-line values selecting `plugin` as the uploader, with `${CLUSTER}`, `${TOPOLOGY}`, ... filled in
 * for `runtime` as the host does when it loads a cluster's config.
 */
export function uploaderConfig(plugin: PluginDescriptor, values: Readonly<Record<string, ConfigValue>>, runtime?: TopologyRuntime): Config {
  const all: Record<string, ConfigValue> = { 'egret.uploader': plugin.name, ...values };
  const config = new Config([{ source: { kind: 'command-line' }, values: new Map(Object.entries(all).map(([key, value]) => [key, { value }])) }]);
  const target = runtime ?? testRuntime('');
  return substituteVariables(config, configVariables({ cluster: target.cluster, role: target.role, environment: target.environment, ...(runtime ? { topology: runtime.topologyName } : {}) }));
}

/** The plugin's Uploader for `runtime`, loaded through createPluginContainer with `values` as the config. */
export async function uploaderFromPlugin(plugin: PluginDescriptor, values: Readonly<Record<string, ConfigValue>>, runtime: TopologyRuntime): Promise<Uploader> {
  const registry = new PluginRegistry();
  registry.register(plugin);
  const container: Container = await createPluginContainer({
    config: uploaderConfig(plugin, values, runtime),
    registry,
    families: ['uploader'],
    bind: (c) => void c.bind(TopologyRuntime).toConstantValue(runtime),
  });
  return container.get<Uploader>(Uploader);
}

/** A DownloaderRegistry with core's downloaders and `modules`, reading `values` as the process's config. */
export async function downloadersFor(plugin: PluginDescriptor, values: Readonly<Record<string, ConfigValue>>, modules: readonly ContainerModule[]): Promise<DownloaderRegistry> {
  const registry = new PluginRegistry();
  registry.register(plugin);
  const container = await createPluginContainer({ config: uploaderConfig(plugin, values), registry, families: [] });
  await container.load(builtInDownloadersModule, ...modules);
  return container.get<DownloaderRegistry>(DownloaderRegistry);
}

/** A package file of `bytes` random bytes (written in 1 MiB slices) and its SHA-256. */
export async function writePackage(directory: string, name: string, bytes: number): Promise<{ path: string; sha256: string }> {
  const path = join(directory, name);
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < bytes; written += 1 << 20) {
      const slice = randomBytes(Math.min(1 << 20, bytes - written));
      hash.update(slice);
      await handle.write(slice);
    }
  } finally {
    await handle.close();
  }
  return { path, sha256: hash.digest('hex') };
}

/** The SHA-256 of a file. */
export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
