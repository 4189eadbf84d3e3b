import { randomUUID } from 'node:crypto';
import type { Container } from 'inversify';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { loadClusterConfig } from '../config/cluster-config-loader.js';
import type { ClusterTarget } from '../config/cluster-target.js';
import type { Config } from '../config/config.js';
import { configVariables, currentUser, substituteVariables } from '../config/config-variables.js';
import type { PluginFamily } from '../plugins/plugin-descriptor.js';
import { createPluginContainer } from '../plugins/plugin-container.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { selectedPluginName } from '../plugins/plugin-selection.js';
import { Packing } from '../spi/packing.js';
import type { PackingPlan } from '../spi/packing-plan.js';
import { TopologyRuntime } from '../spi/topology-runtime.js';
import { loadTopology } from '../topology/topology-loader.js';
import { effectiveTopology } from './effective-topology.js';

/** Which topology to load, against which cluster's config. */
export interface TopologyRequest {
  readonly target: ClusterTarget;
  readonly topologyFile: string;
  /** Words after the topology file on the command line, handed to a topology module's function. */
  readonly topologyArgs: readonly string[];
  readonly configPath: string;
  /** `key=value` overrides, applied last. */
  readonly properties: readonly string[];
}

export interface DryRunRequest extends TopologyRequest {
  readonly registry: PluginRegistry;
}

/** A loaded, validated topology with the config it would run with. */
export interface PreparedTopology {
  /** The topology with its effective config. */
  readonly topology: TopologyDefinition;
  /** The cluster config with the topology's layer and the overrides merged in. */
  readonly config: Config;
  /** What plugins learn of the topology they serve (a fresh id: nothing is submitted). */
  readonly runtime: TopologyRuntime;
  /** Misspelled-looking keys, for the user to see. */
  readonly warnings: readonly string[];
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
 * The first steps of every command that works on a topology (`egret submit --dry-run`, `egret pack`, `egret
 * repack`): read the cluster config, load and validate the topology, merge their configs. Touches no state.
 * Throws ConfigError (cluster, YAML, overrides) and TopologyError (file, syntax, validation, topology keys).
 */
export async function prepareTopology(request: TopologyRequest): Promise<PreparedTopology> {
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
  return { topology: effective.topology, config: effective.config, runtime, warnings: effective.warnings };
}

/**
 * A DI container holding the plugins of `families` that the prepared topology's config selects, each with its
 * validated config, and the topology's runtime. Throws PluginError for an unknown name or a bad plugin config.
 */
export function pluginContainerFor(prepared: PreparedTopology, registry: PluginRegistry, families: readonly PluginFamily[]): Promise<Container> {
  return createPluginContainer({ config: prepared.config, registry, families, bind: (c) => c.bind(TopologyRuntime).toConstantValue(prepared.runtime) });
}

/**
 * Everything `egret submit --dry-run` (and `egret pack`) does: {@link prepareTopology}, then select the packing
 * plugin by name, validate its config and pack. Touches no state and starts nothing.
 */
export async function dryRunSubmit(request: DryRunRequest): Promise<DryRunResult> {
  const prepared = await prepareTopology(request);
  const container = await pluginContainerFor(prepared, request.registry, ['packing']);
  const plan = container.get<Packing>(Packing).pack(prepared.topology);
  return { topology: prepared.topology, config: prepared.config, plan, algorithm: selectedPluginName(prepared.config, 'packing').name, warnings: prepared.warnings };
}
