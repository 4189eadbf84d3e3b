import { createPluginContainer } from '../plugins/plugin-container.js';
import { StateManager } from '../spi/state-manager.js';
import { commandConfig, type TopologyCommandRequest } from './managed-topology.js';

/** The cluster's state manager for a topology (or, without a name, for the cluster), opened for reading. */
export async function openStateFor(request: Omit<TopologyCommandRequest, 'topologyName'> & { readonly topologyName?: string }): Promise<StateManager> {
  const container = await createPluginContainer({ config: commandConfig(request, request.topologyName), registry: request.registry, families: ['statemgr'] });
  return container.get<StateManager>(StateManager);
}
