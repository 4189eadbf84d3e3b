import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { heron } from '../../core/proto/index.js';
import { byCodeUnit } from '../../core/code-unit-order.js';

/**
 * The names the processes of a running topology give each other (native/PROTOCOL.md §2), shared by the topology
 * manager, the stream managers and the tests that play either.
 */

/** `stmgr-<container>`: the id of a container's stream manager. */
export function stmgrIdOf(container: number): string {
  return `stmgr-${container}`;
}

/** The container of a stream manager id, or undefined when the id is not `stmgr-<whole number>`. */
export function containerOfStmgrId(stmgrId: string): number | undefined {
  const match = /^stmgr-(\d+)$/.exec(stmgrId);
  return match ? Number(match[1]) : undefined;
}

/** Orders stream manager ids by container (`stmgr-2` before `stmgr-10`), ids of another form last, by code unit. */
export function compareStmgrIds(a: string, b: string): number {
  return (containerOfStmgrId(a) ?? Number.MAX_SAFE_INTEGER) - (containerOfStmgrId(b) ?? Number.MAX_SAFE_INTEGER) || byCodeUnit(a, b);
}

/** `container_<c>_<component>_<task>`: the id of one instance. */
export function instanceIdOf(container: number, component: string, taskId: number): string {
  return `container_${container}_${component}_${taskId}`;
}

/** The task of an instance id made by {@link instanceIdOf}; undefined for another shape. */
export function taskIdOfInstanceId(instanceId: string): number | undefined {
  const task = /^container_\d+_.+_(\d+)$/.exec(instanceId)?.[1];
  return task === undefined ? undefined : Number(task);
}

/** The default local endpoint of a container's stream manager: no socket file, no path length limit. */
export function defaultLocalEndpoint(topologyId: string, container: number): string {
  return `unix-abstract:egret/${topologyId}/${stmgrIdOf(container)}`;
}

/**
 * The Instance records the packing plan puts in one container, by ascending task id: what its stream manager
 * registers with the topology manager and what its instances register with it. Empty for an unknown container.
 */
export function expectedInstancesOf(plan: PackingPlan, container: number): heron.proto.system.Instance[] {
  const containerPlan = plan.containers.find((c) => c.id === container);
  return (containerPlan?.instances ?? []).map((instance) =>
    heron.proto.system.Instance.create({
      instanceId: instanceIdOf(container, instance.component, instance.taskId),
      stmgrId: stmgrIdOf(container),
      info: { taskId: instance.taskId, componentIndex: instance.componentIndex, componentName: instance.component },
    }),
  );
}

/** The stream manager ids a packing plan calls for, one per container. */
export function expectedStmgrIdsOf(plan: PackingPlan): string[] {
  return plan.containers.map((c) => stmgrIdOf(c.id));
}
