import type { StateManager, StateNodeKind } from '../spi/state-manager.js';
import { type ManagedTopology, openManagedTopology, type TopologyCommandRequest } from './managed-topology.js';
import { RuntimeError } from './runtime-error.js';
import { schedulerClientFor } from './scheduler-client-factory.js';

/**
 * The order kill deletes a topology's state in: locations and plans first, the execution state next to last, the
 * topology node last, because "the topology node exists" means "the topology is running" — a kill interrupted
 * half-way leaves a topology that `egret kill` can still find and finish.
 */
export const KILL_STATE_ORDER: readonly StateNodeKind[] = ['tmanagers', 'metricscaches', 'packingplans', 'pplans', 'schedulers', 'statefulcheckpoints', 'executionstate', 'topologies'];

/**
 * `egret kill`: checks the state, asks the scheduler to stop every process of the topology (in service mode over
 * HTTP; when that scheduler process is gone, in-process, which finds its processes on its own), then deletes the
 * topology's state in {@link KILL_STATE_ORDER}, its locks included.
 */
export async function killTopology(request: TopologyCommandRequest): Promise<void> {
  // The state manager alone: the scheduler plugin is loaded only should the kill fall back to library mode (the
  // library client loads it then), and a second container would open a second state manager (a ZooKeeper session).
  const topology = await openManagedTopology(request);
  try {
    const client = await schedulerClientFor({ ...clientContext(topology, request), fallbackToLibrary: true });
    try {
      await client.kill({ topologyName: topology.name });
    } finally {
      await client.close();
    }
    await deleteTopologyState(topology.state, topology.name);
  } finally {
    await topology.close();
  }
}

/** Deletes every node of a topology in {@link KILL_STATE_ORDER}, and its locks; absent nodes are fine. */
export async function deleteTopologyState(state: StateManager, name: string): Promise<void> {
  for (const kind of KILL_STATE_ORDER) {
    if (kind === 'topologies') await state.deleteLocks(name);
    await state.delete(kind, name);
  }
}

/** `egret activate` / `egret deactivate`: through the topology manager's controller; says when nothing changed. */
export async function setTopologyActive(request: TopologyCommandRequest, active: boolean): Promise<string> {
  const topology = await openManagedTopology(request);
  try {
    // Imported here: kill and restart, which are on the clock, have no use for the controller's HTTP client.
    const { TManagerControllerClient } = await import('./tmanager-controller-client.js');
    const controller = await TManagerControllerClient.connect(topology.state, topology.name, topology.execution.topologyId);
    return await controller.setState(active ? 'activate' : 'deactivate');
  } finally {
    await topology.close();
  }
}

/** `egret restart [container]`: one container's processes, or all (container 0 is the topology manager's). */
export async function restartTopology(request: TopologyCommandRequest, containerId?: number): Promise<void> {
  const topology = await openManagedTopology(request);
  try {
    if (containerId !== undefined) await assertContainer(topology, containerId);
    const client = await schedulerClientFor(clientContext(topology, request));
    try {
      await client.restart({ topologyName: topology.name, ...(containerId === undefined ? {} : { containerId }) });
    } finally {
      await client.close();
    }
  } finally {
    await topology.close();
  }
}

async function assertContainer(topology: ManagedTopology, containerId: number): Promise<void> {
  const plan = await topology.state.get('packingplans', topology.name);
  const ids = [0, ...plan.containerPlans.map((c) => c.id)];
  if (!ids.includes(containerId)) {
    throw new RuntimeError(`topology '${topology.name}' has no container ${containerId} (containers: ${ids.join(', ')}; 0 is the topology manager's)`, { code: 'RUNTIME_INVALID_REQUEST' });
  }
}

/** What a scheduler client needs to find and reach the topology's scheduler. */
export function clientContext(topology: ManagedTopology, request: TopologyCommandRequest) {
  return { state: topology.state, topologyName: topology.name, config: topology.config, registry: request.registry, runtime: topology.runtime };
}
