import { loadClusterConfig } from '../config/cluster-config-loader.js';
import { configVariables, substituteVariables } from '../config/config-variables.js';
import { createPluginContainer } from '../plugins/plugin-container.js';
import { StateManager } from '../spi/state-manager.js';
import type { TopologyCommandRequest } from './managed-topology.js';

/** The cluster's state manager for a topology (or, without a name, for the cluster), opened for reading. */
export async function openStateFor(request: Omit<TopologyCommandRequest, 'topologyName'> & { readonly topologyName?: string }): Promise<StateManager> {
  const loaded = loadClusterConfig({ configPath: request.configPath, cluster: request.target.cluster, properties: request.properties });
  const config = substituteVariables(loaded, configVariables({ ...request.target, ...(request.topologyName === undefined ? {} : { topology: request.topologyName }) }));
  const container = await createPluginContainer({ config, registry: request.registry, families: ['statemgr'] });
  return container.get<StateManager>(StateManager);
}
