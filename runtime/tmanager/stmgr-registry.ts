import { heron } from '../../core/proto/index.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { compareStmgrIds, expectedInstancesOf, stmgrIdOf } from '../common/runtime-ids.js';

import system = heron.proto.system;

/** A stream manager the topology manager has heard from, on connection `C`. */
export interface StMgrRegistration<C> {
  readonly stmgr: system.StMgr;
  readonly instances: readonly system.Instance[];
  readonly connection: C;
  /** When it registered or last sent a heartbeat (ms, the caller's clock). */
  lastHeardMs: number;
}

/** The answer to a registration: accepted (perhaps replacing the same process's older connection) or refused. */
export type StMgrRegisterOutcome<C> =
  | { readonly accepted: true; readonly replaced?: C }
  | { readonly accepted: false; readonly status: system.StatusCode; readonly message: string };

/** An expected stream manager the plan still waits for, and why. */
export interface AbsentStMgr {
  readonly id: string;
  readonly reason: string;
}

/**
 * The topology manager's book of stream managers: which ones the packing plan expects (`stmgr-<container>`, each
 * with the instances of its container), which registered on which connection, and when each was last heard from.
 * It decides registrations as Heron does (an id outside the plan is INVALID_STMGR, a second live process with the
 * same id is DUPLICATE_STRMGR) and knows when a physical plan can be made: every expected stream manager registered
 * with exactly its container's instances. Pure bookkeeping: the caller owns the connections and the clock.
 */
export class StMgrRegistry<C> {
  private expected = new Map<string, system.Instance[]>();
  private planId = '';
  private readonly byId = new Map<string, StMgrRegistration<C>>();
  private readonly byConnection = new Map<C, string>();

  constructor(plan: PackingPlan) {
    this.setPackingPlan(plan);
  }

  /**
   * Follows a new packing plan. Returns the registrations of stream managers it no longer has, now forgotten (the
   * caller closes their connections); those still expected stay, and count once their instances match the plan.
   */
  setPackingPlan(plan: PackingPlan): StMgrRegistration<C>[] {
    this.planId = plan.id;
    this.expected = new Map(plan.containers.map((c) => [stmgrIdOf(c.id), expectedInstancesOf(plan, c.id)]));
    const dropped = [...this.byId.values()].filter((r) => !this.expected.has(r.stmgr.id));
    for (const registration of dropped) this.forget(registration);
    return dropped;
  }

  /** Decides a StMgrRegisterRequest arriving on `connection`; when accepted, records it as heard from at `nowMs`. */
  register(request: heron.proto.tmanager.StMgrRegisterRequest, connection: C, nowMs: number): StMgrRegisterOutcome<C> {
    const { stmgr } = request;
    if (!this.expected.has(stmgr.id)) {
      const known = [...this.expected.keys()].join(', ') || 'none';
      return refuse(system.StatusCode.INVALID_STMGR, `${stmgr.id} is not a stream manager of packing plan '${this.planId}' (expected: ${known})`);
    }
    const foreign = (request.instances ?? []).find((i) => i.stmgrId !== stmgr.id);
    if (foreign) return refuse(system.StatusCode.NOTOK, `${stmgr.id} registered instance ${foreign.instanceId}, which names ${foreign.stmgrId}`);
    const onConnection = this.byConnection.get(connection);
    if (onConnection !== undefined && onConnection !== stmgr.id) {
      return refuse(system.StatusCode.NOTOK, `this connection is already registered as ${onConnection}, not ${stmgr.id}`);
    }
    const existing = this.byId.get(stmgr.id);
    let replaced: C | undefined;
    if (existing && existing.connection !== connection) {
      // The same process coming back on a new connection (its old one not yet seen closed) is no zombie.
      if (!sameProcess(existing.stmgr, stmgr)) {
        return refuse(system.StatusCode.DUPLICATE_STRMGR, `${stmgr.id} is already registered by a live process (${describeStMgr(existing.stmgr)}); refusing ${describeStMgr(stmgr)}`);
      }
      replaced = existing.connection;
      this.forget(existing);
    }
    const registration: StMgrRegistration<C> = {
      stmgr: system.StMgr.create(stmgr),
      instances: (request.instances ?? []).map((i) => system.Instance.create(i)),
      connection,
      lastHeardMs: nowMs,
    };
    this.byId.set(stmgr.id, registration);
    this.byConnection.set(connection, stmgr.id);
    return replaced === undefined ? { accepted: true } : { accepted: true, replaced };
  }

  /** Records a heartbeat; false when nothing is registered on that connection. */
  heartbeat(connection: C, nowMs: number): boolean {
    const id = this.byConnection.get(connection);
    const registration = id === undefined ? undefined : this.byId.get(id);
    if (!registration) return false;
    registration.lastHeardMs = nowMs;
    return true;
  }

  /** Forgets what registered on a connection that closed; returns it, or undefined when nothing had. */
  remove(connection: C): StMgrRegistration<C> | undefined {
    const id = this.byConnection.get(connection);
    const registration = id === undefined ? undefined : this.byId.get(id);
    if (registration) this.forget(registration);
    return registration;
  }

  /** Forgets and returns the registrations not heard from for `timeoutMs` (the caller closes their connections). */
  expire(nowMs: number, timeoutMs: number): StMgrRegistration<C>[] {
    const silent = [...this.byId.values()].filter((r) => nowMs - r.lastHeardMs >= timeoutMs);
    for (const registration of silent) this.forget(registration);
    return silent;
  }

  /** The registration of a connection, if any. */
  registrationOf(connection: C): StMgrRegistration<C> | undefined {
    const id = this.byConnection.get(connection);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Every registration, by stream manager id. */
  registrations(): StMgrRegistration<C>[] {
    return [...this.byId.values()].sort((a, b) => compareStmgrIds(a.stmgr.id, b.stmgr.id));
  }

  /** The expected stream managers the plan still waits for. */
  absent(): AbsentStMgr[] {
    const absent: AbsentStMgr[] = [];
    for (const [id, instances] of this.expected) {
      const registration = this.byId.get(id);
      if (!registration) absent.push({ id, reason: 'not registered' });
      else if (!sameInstances(registration.instances, instances)) {
        absent.push({ id, reason: `registered tasks [${taskIds(registration.instances)}], packing plan '${this.planId}' has [${taskIds(instances)}]` });
      }
    }
    return absent;
  }

  /** True when a physical plan can be made: every expected stream manager registered its container's instances. */
  isComplete(): boolean {
    return this.absent().length === 0;
  }

  private forget(registration: StMgrRegistration<C>): void {
    this.byId.delete(registration.stmgr.id);
    this.byConnection.delete(registration.connection);
  }
}

function refuse<C>(status: system.StatusCode, message: string): StMgrRegisterOutcome<C> {
  return { accepted: false, status, message };
}

function sameProcess(a: system.StMgr.$Properties, b: system.StMgr.$Properties): boolean {
  return a.hostName === b.hostName && a.dataPort === b.dataPort && (a.pid ?? 0) === (b.pid ?? 0);
}

/** `host 10.0.0.1, data port 4567, pid 42`. */
export function describeStMgr(stmgr: system.StMgr.$Properties): string {
  return `host ${stmgr.hostName}, data port ${stmgr.dataPort}${stmgr.pid ? `, pid ${stmgr.pid}` : ''}`;
}

function instanceKey(instance: system.Instance.$Properties): string {
  const { info } = instance;
  return `${info.taskId}\u0000${instance.instanceId}\u0000${instance.stmgrId}\u0000${info.componentName}\u0000${info.componentIndex}`;
}

function sameInstances(a: readonly system.Instance.$Properties[], b: readonly system.Instance.$Properties[]): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(instanceKey));
  return b.every((instance) => keys.has(instanceKey(instance)));
}

function taskIds(instances: readonly system.Instance.$Properties[]): string {
  return instances
    .map((i) => i.info.taskId)
    .sort((x, y) => x - y)
    .join(', ');
}
