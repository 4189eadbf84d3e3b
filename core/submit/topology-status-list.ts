import { isErrorOf, messageOf } from '../errors.js';
import type { ClusterTarget } from '../config/cluster-target.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { type StateManager, StateManagerError } from '../spi/state-manager.js';
import { openStateFor } from './state-access.js';
import { currentPhysicalPlan, liveStateOf, submissionOf } from './topology-status-figures.js';
import type { TopologyList, TopologyListEntry } from './topology-status-types.js';

/** `egret list`: a cluster, and optionally the role and environment to narrow the list to. */
export interface TopologyListRequest {
  /** The cluster (role and environment with their defaults, for the config's `${ROLE}` and `${ENVIRON}`). */
  readonly target: ClusterTarget;
  /** Only topologies submitted under this role (and environment); all when absent. */
  readonly role?: string;
  readonly environment?: string;
  readonly configPath: string;
  readonly properties: readonly string[];
  readonly registry: PluginRegistry;
}

/**
 * Every topology running in the cluster's state manager (its topology node exists), sorted by name, with its
 * live state, containers, instances, and who submitted it when; only those under `role` and `environment` when
 * given. A topology whose execution state is missing or unreadable is listed with a `problem` (filtered or not:
 * it cannot be placed under a role, and a half-submitted topology is worth seeing); one killed while the list is read is left
 * out. Unknown cluster: the config's error. Changes nothing.
 */
export async function listTopologies(request: TopologyListRequest): Promise<TopologyList> {
  const state = await openStateFor(request);
  try {
    const entries: TopologyListEntry[] = [];
    for (const name of await state.listTopologies()) {
      const entry = await readEntry(state, name);
      if (!entry) continue;
      if (entry.role !== null && request.role !== undefined && entry.role !== request.role) continue;
      if (entry.environment !== null && request.environment !== undefined && entry.environment !== request.environment) continue;
      entries.push(entry);
    }
    return { cluster: request.target.cluster, role: request.role ?? null, environment: request.environment ?? null, topologies: entries };
  } finally {
    await state.close();
  }
}

const UNKNOWN = { id: null, role: null, environment: null, state: null, containers: null, instances: null, instancesRunning: null, submittedBy: null, submittedAt: null } as const;

async function readEntry(state: StateManager, name: string): Promise<TopologyListEntry | undefined> {
  try {
    const [topology, execution, packingPlan, physicalPlan] = await Promise.all([
      state.find('topologies', name),
      state.find('executionstate', name),
      state.find('packingplans', name),
      state.find('pplans', name),
    ]);
    if (!topology) return undefined;
    if (!execution) return { topology: name, ...UNKNOWN, problem: 'no execution state: half-submitted or half-killed; egret kill cleans it up' };
    const plan = currentPhysicalPlan(physicalPlan, execution.topologyId);
    const containers = packingPlan?.containerPlans ?? [];
    return {
      topology: name,
      id: execution.topologyId,
      role: execution.role,
      environment: execution.environ,
      state: liveStateOf(topology, plan),
      containers: packingPlan ? containers.length : null,
      instances: packingPlan ? containers.reduce((n, c) => n + (c.instancePlans?.length ?? 0), 0) : null,
      instancesRunning: plan?.instances?.length ?? 0,
      ...submissionOf(execution),
      ...(packingPlan ? {} : { problem: 'no packing plan: half-submitted or half-killed; egret kill cleans it up' }),
    };
  } catch (error) {
    if (!isErrorOf(error, StateManagerError, 'STATE_CORRUPTED')) throw error;
    return { topology: name, ...UNKNOWN, problem: messageOf(error) };
  }
}
