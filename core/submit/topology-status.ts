import { messageOf } from '../errors.js';
import { type ManagedTopology, openManagedTopology, type TopologyCommandRequest } from './managed-topology.js';
import { RuntimeError } from './runtime-error.js';
import { TManagerControllerClient } from './tmanager-controller-client.js';
import { buildTopologyStatus, type LiveFigures } from './topology-status-figures.js';
import type { TopologyStatus } from './topology-status-types.js';

/** How `egret status` reads the live figures. */
export interface TopologyStatusOptions {
  /** Figures over the last this many seconds (the topology manager rounds to the minute); all time when absent. */
  readonly intervalSeconds?: number;
  /** How long to wait for the topology manager before reporting the figures unavailable. */
  readonly timeoutMs?: number;
}

/**
 * `egret status`: checks the state as every runtime command does (RUNTIME_UNKNOWN_TOPOLOGY, naming the running
 * ones; RUNTIME_WRONG_TARGET, saying where it runs; RUNTIME_STATE_INCOMPLETE for a half-submitted topology), reads
 * the topology, its plans and its topology manager's location, then asks the topology manager for its metrics cache
 * and user errors. A topology manager that cannot be reached (starting, restarting, gone) does not fail the command:
 * the status says the figures are unavailable and why. Changes nothing.
 */
export async function readTopologyStatus(request: TopologyCommandRequest, options: TopologyStatusOptions = {}): Promise<TopologyStatus> {
  const topology = await openManagedTopology(request);
  try {
    const { state, name, execution } = topology;
    const [logical, packingPlan, physicalPlan, tmanager] = await Promise.all([
      state.get('topologies', name),
      state.find('packingplans', name),
      state.find('pplans', name),
      state.find('tmanagers', name),
    ]);
    if (!packingPlan) {
      throw new RuntimeError(`topology '${name}' has no packing plan: it is half-submitted or half-killed; egret kill cleans it up`, { code: 'RUNTIME_STATE_INCOMPLETE' });
    }
    const live = await readLiveFigures(topology, options);
    return buildTopologyStatus({ cluster: request.target.cluster, execution, topology: logical, packingPlan, physicalPlan, tmanager, live });
  } finally {
    await topology.close();
  }
}

async function readLiveFigures(topology: ManagedTopology, options: TopologyStatusOptions): Promise<LiveFigures> {
  try {
    const controller = await TManagerControllerClient.connect(topology.state, topology.name, topology.execution.topologyId, options.timeoutMs ?? 5000);
    const [metrics, exceptions] = await Promise.all([controller.metrics(options.intervalSeconds), controller.exceptions()]);
    return { metrics, exceptions, asOfMs: Date.now() };
  } catch (error) {
    if (error instanceof RuntimeError && error.code === 'RUNTIME_TMANAGER_UNREACHABLE') return { unavailable: messageOf(error) };
    throw error;
  }
}
