import { heron, ProtoPhysicalPlan, type ProtoTopology } from '../../core/proto/index.js';
import { compareStmgrIds } from '../common/runtime-ids.js';

import system = heron.proto.system;
import api = heron.proto.api;

/** The states a running topology can be in (KILLED topologies have no topology manager). */
export type LiveTopologyState = 'RUNNING' | 'PAUSED';

/** Thrown by {@link buildPhysicalPlan} for registrations that cannot make a plan: a bug or a confused stream manager. */
export class PhysicalPlanError extends Error {
  override readonly name = 'PhysicalPlanError';
}

/** What a physical plan is stitched from: the topology manager does no placement, the packing plan already did. */
export interface PhysicalPlanParts {
  /** The logical plan (the topology node). */
  readonly topology: ProtoTopology;
  readonly state: LiveTopologyState;
  /** Every stream manager's record, as it registered. */
  readonly stmgrs: readonly system.StMgr.$Properties[];
  /** Every instance, as its stream manager registered it. */
  readonly instances: readonly system.Instance.$Properties[];
}

/**
 * The physical plan of a topology: its logical plan with the live state, every stream manager (by container) and
 * every instance (by task id). Throws {@link PhysicalPlanError} for two stream managers with one id, a task id
 * twice, an instance of a stream manager or a component the plan does not have, or a component without instances.
 */
export function buildPhysicalPlan(parts: PhysicalPlanParts): system.PhysicalPlan {
  const stmgrIds = new Set<string>();
  for (const stmgr of parts.stmgrs) {
    if (stmgrIds.has(stmgr.id)) throw new PhysicalPlanError(`stream manager ${stmgr.id} appears twice`);
    stmgrIds.add(stmgr.id);
  }
  const components = new Set([...(parts.topology.spouts ?? []).map((s) => s.comp.name), ...(parts.topology.bolts ?? []).map((b) => b.comp.name)]);
  const taskIds = new Set<number>();
  const placed = new Set<string>();
  for (const instance of parts.instances) {
    const where = `instance ${instance.instanceId} (task ${instance.info.taskId})`;
    if (taskIds.has(instance.info.taskId)) throw new PhysicalPlanError(`task ${instance.info.taskId} appears twice`);
    taskIds.add(instance.info.taskId);
    if (!stmgrIds.has(instance.stmgrId)) throw new PhysicalPlanError(`${where} belongs to ${instance.stmgrId}, which did not register`);
    if (!components.has(instance.info.componentName)) throw new PhysicalPlanError(`${where} is of component '${instance.info.componentName}', which the topology does not have`);
    placed.add(instance.info.componentName);
  }
  const idle = [...components].filter((c) => !placed.has(c));
  if (idle.length > 0) throw new PhysicalPlanError(`no instance of ${idle.map((c) => `'${c}'`).join(', ')}`);

  // A copy: the caller's topology keeps its own state (the topology node may say otherwise until it is updated).
  const topology = api.Topology.decode(api.Topology.encode(parts.topology).finish());
  topology.state = parts.state === 'PAUSED' ? api.TopologyState.PAUSED : api.TopologyState.RUNNING;
  return ProtoPhysicalPlan.create({
    topology,
    stmgrs: [...parts.stmgrs].sort((a, b) => compareStmgrIds(a.id, b.id)).map((s) => system.StMgr.create(s)),
    instances: [...parts.instances].sort((a, b) => a.info.taskId - b.info.taskId).map((i) => system.Instance.create(i)),
  });
}

/**
 * The state a starting topology manager publishes: a previous plan of the same submission says what the last
 * topology manager was told (activate / deactivate), else the topology node (submitted deactivated or not).
 */
export function initialTopologyState(topology: ProtoTopology, previous: system.PhysicalPlan | undefined): LiveTopologyState {
  const source = previous && previous.topology.id === topology.id ? previous.topology.state : topology.state;
  return source === api.TopologyState.PAUSED ? 'PAUSED' : 'RUNNING';
}

/** The live state a plan carries. */
export function stateOfPlan(plan: system.PhysicalPlan.$Properties): LiveTopologyState {
  return plan.topology.state === api.TopologyState.PAUSED ? 'PAUSED' : 'RUNNING';
}
