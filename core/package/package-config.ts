import { Config, layerOf } from '../config/config.js';
import { configVariables, currentUser } from '../config/config-variables.js';
import type { TopologyRuntime } from '../spi/topology-runtime.js';
import { CONFIG_ENTRY } from './package-layout.js';
import type { TopologyPackage } from './package-reader.js';

/**
 * The package's config.json as the {@link Config} a runtime process hands to createPluginContainer: one layer,
 * sourced from the file (so messages name it), with the variables of the submission, because plugin defaults such
 * as `${HOME}/.egret/state/${CLUSTER}` are not in config.json and are substituted where they are used.
 */
export function packageConfig(pkg: TopologyPackage): Config {
  const { manifest } = pkg;
  const variables = configVariables({ cluster: manifest.cluster, role: manifest.role, environment: manifest.environment, topology: manifest.topologyName });
  return new Config([layerOf({ kind: 'file', file: `${pkg.dir}/${CONFIG_ENTRY}` }, pkg.config)], variables);
}

/** The {@link TopologyRuntime} of the package's submission; the submitting user is not recorded, so it is this process's. */
export function packageRuntime(pkg: TopologyPackage): TopologyRuntime {
  const { manifest } = pkg;
  return {
    topologyName: manifest.topologyName,
    topologyId: manifest.topologyId,
    cluster: manifest.cluster,
    role: manifest.role,
    environment: manifest.environment,
    submitUser: currentUser(),
  };
}
