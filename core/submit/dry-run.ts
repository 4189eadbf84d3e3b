import { randomUUID } from 'node:crypto';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { loadClusterConfig } from '../config/cluster-config-loader.js';
import type { ClusterTarget } from '../config/cluster-target.js';
import type { Config } from '../config/config.js';
import { configVariables, currentUser, substituteVariables } from '../config/config-variables.js';
import { createPluginContainer } from '../plugins/plugin-container.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { selectedPluginName } from '../plugins/plugin-selection.js';
import { Packing } from '../spi/packing.js';
import type { PackingPlan } from '../spi/packing-plan.js';
import { TopologyRuntime } from '../spi/topology-runtime.js';
import { loadTopology } from '../topology/topology-loader.js';
import { effectiveTopology } from './effective-topology.js';

export interface DryRunRequest {
  readonly target: ClusterTarget;
  readonly topologyFile: string;
  /** Words after the topology file on the command line, handed to a topology module's function. */
  readonly topologyArgs: readonly string[];
  readonly configPath: string;
  readonly properties: readonly string[];
  readonly registry: PluginRegistry;
}

export interface DryRunResult {
  /** The topology with its effective config. */
  readonly topology: TopologyDefinition;
  readonly config: Config;
  readonly plan: PackingPlan;
  /** The packing plugin's name. */
  readonly algorithm: string;
  readonly warnings: readonly string[];
}

/**
 * Everything `egret submit --dry-run` does: read the cluster config, load and validate the topology, merge their
 * configs, select the packing plugin by name, validate its config and pack. Touches no state and starts nothing.
 */
export async function dryRunSubmit(request: DryRunRequest): Promise<DryRunResult> {
  const { target } = request;
  const clusterConfig = loadClusterConfig({ configPath: request.configPath, cluster: target.cluster, properties: request.properties });
  const withoutTopology = substituteVariables(clusterConfig, configVariables(target));
  const loaded = await loadTopology(request.topologyFile, { args: request.topologyArgs, config: withoutTopology.toMap() });
  const variables = configVariables({ ...target, topology: loaded.topology.name });
  const effective = effectiveTopology(loaded.topology, substituteVariables(clusterConfig, variables), loaded.file);
  const runtime: TopologyRuntime = {
    topologyName: loaded.topology.name,
    topologyId: `${loaded.topology.name}-${randomUUID()}`,
    cluster: target.cluster,
    role: target.role,
    environment: target.environment,
    submitUser: currentUser(),
  };
  const container = await createPluginContainer({
    config: effective.config,
    registry: request.registry,
    families: ['packing'],
    bind: (c) => c.bind(TopologyRuntime).toConstantValue(runtime),
  });
  const plan = container.get<Packing>(Packing).pack(effective.topology);
  return { topology: effective.topology, config: effective.config, plan, algorithm: selectedPluginName(effective.config, 'packing').name, warnings: effective.warnings };
}
