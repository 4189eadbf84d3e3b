import type { Config } from '../../core/config/config.js';
import { readRuntimeConfig, type RuntimeConfig } from '../../core/config/runtime-config.js';
import { packageConfig, readTopologyPackage, type TopologyPackageManifest } from '../../core/package/index.js';
import { createPluginContainer } from '../../core/plugins/plugin-container.js';
import type { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import { StateManager } from '../../core/spi/state-manager.js';

/** What a runtime process (topology manager, stream manager) knows from its unpacked package. */
export interface RuntimePackage {
  readonly dir: string;
  readonly manifest: TopologyPackageManifest;
  /** `config.json`, as the Config plugins are built from. */
  readonly config: Config;
  /** The runtime tuning keys, checked, defaults applied. */
  readonly runtime: RuntimeConfig;
}

/**
 * Reads and checks an unpacked package (core/package) and its runtime keys. Throws the TopologyPackageError of a
 * bad package, and an Error naming every bad runtime key.
 */
export async function readRuntimePackage(dir: string): Promise<RuntimePackage> {
  const pkg = await readTopologyPackage(dir);
  return { dir: pkg.dir, manifest: pkg.manifest, config: packageConfig(pkg), runtime: readRuntimeConfig(pkg.config) };
}

/**
 * Opens the state manager the package's config names (`egret.statemgr`), through the plugin registry the entry
 * point built. Throws the PluginError of an unknown plugin or bad config.
 */
export async function openPackageStateManager(pkg: RuntimePackage, registry: PluginRegistry): Promise<StateManager> {
  const container = await createPluginContainer({ config: pkg.config, registry, families: ['statemgr'] });
  return container.get<StateManager>(StateManager);
}
