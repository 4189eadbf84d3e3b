import { heron } from '../../core/proto/index.js';

import system = heron.proto.system;

/** The answer to an instance's registration. */
export type InstanceRegistration = { readonly accepted: true; readonly taskId: number } | { readonly accepted: false; readonly message: string };

/**
 * The stream manager's book of its local instances: the tasks the packing plan puts in its container, and which
 * data-path connection each task registered on. It decides registrations (native/PROTOCOL.md §2): the task must be
 * one of this container's, registering as the packing plan names it, for this topology, and not already live on
 * another connection (the first connection keeps the task). Pure bookkeeping: the caller attaches and answers.
 */
export class LocalInstances {
  private expectedByTask = new Map<number, system.Instance>();
  private readonly connectionOf = new Map<number, number>();
  private readonly taskOf = new Map<number, number>();

  constructor(
    private readonly topology: { readonly name: string; readonly id: string },
    private readonly stmgrId: string,
    expected: readonly system.Instance[],
  ) {
    this.setExpected(expected);
  }

  /**
   * Follows a new packing plan's tasks for this container. Returns the connections of tasks it no longer has, now
   * detached (the caller closes them).
   */
  setExpected(expected: readonly system.Instance[]): number[] {
    this.expectedByTask = new Map(expected.map((i) => [i.info.taskId, i]));
    const dropped: number[] = [];
    for (const [taskId, connection] of this.connectionOf) {
      if (!this.expectedByTask.has(taskId)) {
        dropped.push(connection);
        this.detach(connection);
      }
    }
    return dropped;
  }

  /** The instances this container should have, by task id. */
  expected(): system.Instance[] {
    return [...this.expectedByTask.values()].sort((a, b) => a.info.taskId - b.info.taskId);
  }

  /** Decides a RegisterInstanceRequest arriving on `connection`; when accepted, the task is attached to it. */
  register(connection: number, request: heron.proto.stmgr.RegisterInstanceRequest): InstanceRegistration {
    const { instance } = request;
    const taskId = instance.info.taskId;
    if (request.topologyName !== this.topology.name || request.topologyId !== this.topology.id) {
      return refuse(`instance ${instance.instanceId} belongs to topology '${request.topologyName}' (id ${request.topologyId}), this stream manager to '${this.topology.name}' (id ${this.topology.id})`);
    }
    const expected = this.expectedByTask.get(taskId);
    if (!expected) {
      const tasks = [...this.expectedByTask.keys()].sort((a, b) => a - b).join(', ') || 'none';
      return refuse(`task ${taskId} (${instance.instanceId}) is not a task of ${this.stmgrId} (its tasks: ${tasks})`);
    }
    const mismatch = describeMismatch(instance, expected);
    if (mismatch) return refuse(`task ${taskId} registered as ${mismatch}`);
    const onConnection = this.taskOf.get(connection);
    if (onConnection !== undefined && onConnection !== taskId) return refuse(`this connection already registered task ${onConnection}`);
    const live = this.connectionOf.get(taskId);
    if (live !== undefined && live !== connection) return refuse(`task ${taskId} (${instance.instanceId}) is already registered on another live connection`);
    this.connectionOf.set(taskId, connection);
    this.taskOf.set(connection, taskId);
    return { accepted: true, taskId };
  }

  /** Forgets the task of a closed connection; returns it, or undefined when the connection had none. */
  detach(connection: number): number | undefined {
    const taskId = this.taskOf.get(connection);
    if (taskId === undefined) return undefined;
    this.taskOf.delete(connection);
    this.connectionOf.delete(taskId);
    return taskId;
  }

  /** True once every expected task has a live connection. */
  allRegistered(): boolean {
    return [...this.expectedByTask.keys()].every((taskId) => this.connectionOf.has(taskId));
  }

  /** Expected tasks without a live connection, ascending. */
  missing(): number[] {
    return [...this.expectedByTask.keys()].filter((taskId) => !this.connectionOf.has(taskId)).sort((a, b) => a - b);
  }

  /**
   * The attached connections whose task `plan` puts on this stream manager. A task an update added or moved here
   * registers before the topology manager publishes the plan that says so; the previous plan is no assignment for
   * it (its instance would take it for its removal), so it waits for the next.
   */
  connectionsIn(plan: system.PhysicalPlan): number[] {
    return [...this.taskOf].filter(([, taskId]) => assignsHere(plan, this.stmgrId, taskId)).map(([connection]) => connection);
  }
}

/** Whether `plan` puts task `taskId` on stream manager `stmgrId`. */
export function assignsHere(plan: system.PhysicalPlan, stmgrId: string, taskId: number): boolean {
  return plan.instances.some((i) => i.info.taskId === taskId && i.stmgrId === stmgrId);
}

function refuse(message: string): InstanceRegistration {
  return { accepted: false, message };
}

function describeMismatch(instance: system.Instance.$Properties, expected: system.Instance.$Properties): string | undefined {
  const got = `${instance.instanceId} of stream manager ${instance.stmgrId}, component '${instance.info.componentName}' index ${instance.info.componentIndex}`;
  const want = `${expected.instanceId} of stream manager ${expected.stmgrId}, component '${expected.info.componentName}' index ${expected.info.componentIndex}`;
  return got === want ? undefined : `${got}; the packing plan has ${want}`;
}
