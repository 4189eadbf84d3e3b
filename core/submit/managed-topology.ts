import type { Container } from 'inversify';
import { loadClusterConfig } from '../config/cluster-config-loader.js';
import type { ClusterTarget } from '../config/cluster-target.js';
import type { Config } from '../config/config.js';
import { configVariables, currentUser, substituteVariables } from '../config/config-variables.js';
import type { PluginFamily } from '../plugins/plugin-descriptor.js';
import { createPluginContainer } from '../plugins/plugin-container.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import type { ProtoExecutionState } from '../proto/index.js';
import { StateManager } from '../spi/state-manager.js';
import { TopologyRuntime } from '../spi/topology-runtime.js';
import { RuntimeError } from './runtime-error.js';

/** Which topology a runtime command works on, against which cluster's config. */
export interface TopologyCommandRequest {
  readonly target: ClusterTarget;
  readonly topologyName: string;
  readonly configPath: string;
  readonly properties: readonly string[];
  readonly registry: PluginRegistry;
}

/**
 * The cluster's config as a command reads it: the cluster's files and `--config-property`s, with the target's
 * variables substituted, and the topology's when the command names one.
 */
export function commandConfig(request: Pick<TopologyCommandRequest, 'target' | 'configPath' | 'properties'>, topologyName?: string): Config {
  const loaded = loadClusterConfig({ configPath: request.configPath, cluster: request.target.cluster, properties: request.properties });
  return substituteVariables(loaded, configVariables({ ...request.target, ...(topologyName === undefined ? {} : { topology: topologyName }) }));
}

/** A running topology opened for a command: its config, its state manager, its execution state. */
export interface ManagedTopology {
  readonly name: string;
  readonly config: Config;
  readonly container: Container;
  readonly state: StateManager;
  readonly execution: ProtoExecutionState;
  readonly runtime: TopologyRuntime;
  close(): Promise<void>;
}

/**
 * Opens a topology for a runtime command, checking the state first: the topology must be running in the cluster's
 * state manager (RUNTIME_UNKNOWN_TOPOLOGY, naming the ones that are) and under the cluster, role and environment
 * the command named (RUNTIME_WRONG_TARGET, saying where it runs). Nothing is changed by a failed check.
 * `families` adds plugins the command needs besides the state manager (a library-mode scheduler, repacking).
 */
export async function openManagedTopology(request: TopologyCommandRequest, families: readonly PluginFamily[] = []): Promise<ManagedTopology> {
  const { target, topologyName: name } = request;
  const config = commandConfig(request, name);
  const probe = await createPluginContainer({ config, registry: request.registry, families: ['statemgr'] });
  const probeState = probe.get<StateManager>(StateManager);
  let execution: ProtoExecutionState;
  try {
    if (!(await probeState.isTopologyRunning(name))) {
      const running = await probeState.listTopologies();
      throw new RuntimeError(`no topology named '${name}' is running on cluster '${target.cluster}' (running: ${running.join(', ') || 'none'})`, { code: 'RUNTIME_UNKNOWN_TOPOLOGY' });
    }
    const found = await probeState.find('executionstate', name);
    if (!found) throw new RuntimeError(`topology '${name}' has no execution state: it is half-submitted or half-killed; egret kill cleans it up`, { code: 'RUNTIME_STATE_INCOMPLETE' });
    execution = found;
    const runsAt = `${execution.cluster}/${execution.role}/${execution.environ}`;
    const asked = `${target.cluster}/${target.role}/${target.environment}`;
    if (runsAt !== asked) throw new RuntimeError(`topology '${name}' is running at ${runsAt}, not ${asked}`, { code: 'RUNTIME_WRONG_TARGET' });
  } catch (error) {
    await probeState.close();
    throw error;
  }
  const runtime: TopologyRuntime = {
    topologyName: name,
    topologyId: execution.topologyId,
    cluster: execution.cluster,
    role: execution.role,
    environment: execution.environ,
    submitUser: execution.submissionUser ?? currentUser(),
    ...(execution.packageUri ? { packageUri: execution.packageUri } : {}),
  };
  let container = probe;
  if (families.length > 0) {
    await probeState.close();
    container = await createPluginContainer({ config, registry: request.registry, families: ['statemgr', ...families], bind: (c) => c.bind(TopologyRuntime).toConstantValue(runtime) });
  }
  const state = container.get<StateManager>(StateManager);
  return { name, config, container, state, execution, runtime, close: () => state.close() };
}
