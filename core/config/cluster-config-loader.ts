import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Config } from './config.js';
import { ConfigError } from './config-error.js';
import { parseConfigProperties } from './config-property.js';
import { displayPath } from './config-source.js';
import { readYamlConfigFile } from './yaml-config-file.js';

/**
 * The files of a cluster directory, in the order they are merged (a later file wins): client, packing, scheduler,
 * statemgr, uploader, then override. Missing files count as empty.
 */
export const CLUSTER_CONFIG_FILES = ['client', 'packing', 'scheduler', 'statemgr', 'uploader', 'override'] as const;

/** The clusters under a config path: its sub-directories, sorted. */
export function listClusters(configPath: string): string[] {
  if (!existsSync(configPath)) return [];
  return readdirSync(configPath, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export interface ClusterConfigRequest {
  /** The directory holding one sub-directory per cluster. */
  readonly configPath: string;
  readonly cluster: string;
  /** `--config-property key=value` arguments, applied last. */
  readonly properties?: readonly string[];
}

/**
 * Reads `<configPath>/<cluster>/*.yaml` in the order of {@link CLUSTER_CONFIG_FILES}, then the `--config-property`
 * overrides. Variables are not substituted yet (see substituteVariables). Throws {@link ConfigError}: an unknown
 * cluster (listing the known ones), a YAML file Egret does not read, a syntax error, a malformed property.
 */
export function loadClusterConfig(request: ClusterConfigRequest): Config {
  const configPath = resolve(request.configPath);
  if (!existsSync(configPath) || !statSync(configPath).isDirectory()) {
    throw new ConfigError(`config path ${displayPath(configPath)} does not exist or is not a directory`, { code: 'CONFIG_PATH_NOT_FOUND' });
  }
  const clusterDir = join(configPath, request.cluster);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(request.cluster) || !existsSync(clusterDir) || !statSync(clusterDir).isDirectory()) {
    const known = listClusters(configPath);
    throw new ConfigError(`unknown cluster '${request.cluster}': no directory ${displayPath(clusterDir)} (clusters in ${displayPath(configPath)}: ${known.join(', ') || 'none'})`, {
      code: 'CONFIG_UNKNOWN_CLUSTER',
    });
  }
  const known = new Set<string>(CLUSTER_CONFIG_FILES.map((name) => `${name}.yaml`));
  const strays = readdirSync(clusterDir).filter((f) => /\.ya?ml$/.test(f) && !known.has(f));
  if (strays.length > 0) {
    throw new ConfigError(
      `${displayPath(join(clusterDir, strays[0] ?? ''))} is not a file Egret reads; a cluster directory holds ${CLUSTER_CONFIG_FILES.map((n) => `${n}.yaml`).join(', ')} (merged in that order)`,
      { code: 'CONFIG_UNKNOWN_FILE' },
    );
  }
  const layers = CLUSTER_CONFIG_FILES.map((name) => join(clusterDir, `${name}.yaml`))
    .filter((file) => existsSync(file))
    .map((file) => readYamlConfigFile(file));
  return new Config([...layers, parseConfigProperties(request.properties ?? [])]);
}
