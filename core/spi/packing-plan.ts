import { Resource } from './resource.js';

/** One task of one component, placed in a container. */
export interface InstancePlan {
  readonly component: string;
  /** Global task id: unique in the topology, from 1. */
  readonly taskId: number;
  /** Index among the component's tasks, from 0. */
  readonly componentIndex: number;
  /** What the instance asks for. */
  readonly resources: Resource;
}

/** One container of a packing plan. */
export interface ContainerPlan {
  /** From 1; container 0 is the topology manager's and never appears in a packing plan. */
  readonly id: number;
  /** Sorted by task id. */
  readonly instances: readonly InstancePlan[];
  /** What the packing algorithm says the container needs: its instances plus padding. */
  readonly required: Resource;
  /** What the scheduler actually granted, when it differs (e.g. a cluster that rounds up); absent until then. */
  readonly scheduled?: Resource;
}

/** Thrown by {@link createPackingPlan} for a plan that breaks an invariant; a bug in whoever built it. */
export class InvalidPackingPlanError extends Error {
  override readonly name = 'InvalidPackingPlanError';
}

/**
 * The placement of every instance of a topology into containers: the output of packing and the input of
 * scheduling. Immutable; build one with {@link createPackingPlan}.
 */
export interface PackingPlan {
  /** The topology id (or name, before one is assigned). */
  readonly id: string;
  /** Sorted by container id. */
  readonly containers: readonly ContainerPlan[];
}

/**
 * Builds a packing plan, sorting containers by id and instances by task id, and checking the invariants every
 * consumer relies on: container ids are whole numbers >= 1 and unique; task ids are whole numbers >= 1 and
 * unique across the plan; each (component, component index) pair appears once. Throws {@link InvalidPackingPlanError}.
 */
export function createPackingPlan(id: string, containers: Iterable<ContainerPlan>): PackingPlan {
  const sorted = [...containers]
    .map((c) => Object.freeze({ ...c, instances: Object.freeze([...c.instances].sort((a, b) => a.taskId - b.taskId)) }))
    .sort((a, b) => a.id - b.id);
  const containerIds = new Set<number>();
  const taskIds = new Set<number>();
  const indexes = new Set<string>();
  for (const container of sorted) {
    if (!Number.isSafeInteger(container.id) || container.id < 1) throw new InvalidPackingPlanError(`container id ${container.id} is not a whole number >= 1`);
    if (containerIds.has(container.id)) throw new InvalidPackingPlanError(`container id ${container.id} appears twice`);
    containerIds.add(container.id);
    for (const instance of container.instances) {
      if (!Number.isSafeInteger(instance.taskId) || instance.taskId < 1) throw new InvalidPackingPlanError(`task id ${instance.taskId} of '${instance.component}' is not a whole number >= 1`);
      if (taskIds.has(instance.taskId)) throw new InvalidPackingPlanError(`task id ${instance.taskId} appears twice`);
      taskIds.add(instance.taskId);
      if (!Number.isSafeInteger(instance.componentIndex) || instance.componentIndex < 0) throw new InvalidPackingPlanError(`component index ${instance.componentIndex} of '${instance.component}' is not a whole number >= 0`);
      const key = `${instance.component}\u0000${instance.componentIndex}`;
      if (indexes.has(key)) throw new InvalidPackingPlanError(`'${instance.component}' index ${instance.componentIndex} appears twice`);
      indexes.add(key);
    }
  }
  return Object.freeze({ id, containers: Object.freeze(sorted) });
}

/** Every instance of the plan, in container then task order. */
export function instancesOf(plan: PackingPlan): InstancePlan[] {
  return plan.containers.flatMap((c) => c.instances);
}

/** The number of instances per component. */
export function componentCounts(plan: PackingPlan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const instance of instancesOf(plan)) counts.set(instance.component, (counts.get(instance.component) ?? 0) + 1);
  return counts;
}

/** The sum of the instances' resources of a container (without padding). */
export function instanceResources(container: ContainerPlan): Resource {
  return container.instances.reduce((sum, i) => sum.plus(i.resources), Resource.EMPTY);
}

/** Per dimension, the largest required (or scheduled, where larger) resource over the plan's containers. */
export function maxContainerResources(plan: PackingPlan): Resource {
  return plan.containers.reduce((max, c) => max.max(c.scheduled ? c.required.max(c.scheduled) : c.required), Resource.EMPTY);
}

/** The total required resources of the plan. */
export function totalRequired(plan: PackingPlan): Resource {
  return plan.containers.reduce((sum, c) => sum.plus(c.required), Resource.EMPTY);
}
