import { loadClusterConfig } from '../../config/cluster-config-loader.js';
import { configVariables, substituteVariables } from '../../config/config-variables.js';
import { createPluginContainer } from '../../plugins/plugin-container.js';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import { StateManager, StateManagerError } from '../../spi/state-manager.js';
import { readTopologyState, summarizeTopologies } from '../../state/state-report.js';
import type { CliIo } from '../cli-io.js';
import { parseClusterTarget } from '../cluster-target.js';
import type { ConfigOptions } from '../common-options.js';
import { renderTopologyList, renderTopologyState } from './state-output.js';

export interface StateCommandOptions extends ConfigOptions {
  readonly format: 'text' | 'json';
}

/**
 * Runs `egret state` (loaded only when that command runs): opens the cluster's state manager, prints, closes it.
 * Fails with STATE_NO_NODE (exit 5) for a topology without state, and, after printing the rest, with
 * STATE_CORRUPTED when a node does not decode.
 */
export async function stateAction(clusterArg: string, topology: string | undefined, options: StateCommandOptions, io: CliIo, registry: PluginRegistry): Promise<void> {
  const target = parseClusterTarget(clusterArg);
  const loaded = loadClusterConfig({ configPath: options.configPath, cluster: target.cluster, properties: options.configProperty });
  const variables = configVariables({ ...target, ...(topology === undefined ? {} : { topology }) });
  const config = substituteVariables(loaded, variables);
  const container = await createPluginContainer({ config, registry, families: ['statemgr'] });
  const state = container.get<StateManager>(StateManager);
  try {
    if (topology === undefined) {
      const summaries = await summarizeTopologies(state);
      io.out(options.format === 'json' ? `${JSON.stringify({ cluster: target.cluster, topologies: summaries }, null, 2)}\n` : renderTopologyList(target.cluster, summaries));
      return;
    }
    const report = await readTopologyState(state, topology, target.cluster);
    io.out(options.format === 'json' ? `${JSON.stringify({ cluster: target.cluster, ...report }, null, 2)}\n` : renderTopologyState(target.cluster, report));
    const corrupted = Object.keys(report.problems);
    if (corrupted.length > 0) {
      throw new StateManagerError(`topology '${topology}' has unreadable state nodes: ${corrupted.join(', ')}`, { code: 'STATE_CORRUPTED' });
    }
  } finally {
    await state.close();
  }
}
