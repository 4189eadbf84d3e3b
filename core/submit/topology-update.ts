import { messageOf } from '../errors.js';
import { packingPlanFromProto, packingPlanToProto, ProtoPackingPlan } from '../proto/index.js';
import { createPackingPlan, type ContainerPlan, type PackingPlan } from '../spi/packing-plan.js';
import { isScalable, type Scalable, type Scheduler, SchedulerError, type UpdateRequest } from '../spi/scheduler.js';
import type { StateManager } from '../spi/state-manager.js';
import { isPluginError } from './plugin-error-check.js';

/** What {@link updatePackingPlan} did. */
export interface PackingPlanUpdate {
  /** The plan now in the state: `proposed`, with the added containers as the scheduler granted them. */
  readonly plan: PackingPlan;
  readonly added: readonly ContainerPlan[];
  readonly removed: readonly ContainerPlan[];
}

/**
 * The scheduler's side of `egret update`, for any {@link Scheduler} (Heron's UpdateTopologyManager): checks that the
 * state still holds `current`, asks the scheduler for the containers only `proposed` has, replaces the state's
 * packing plan (executors and the topology manager follow it), then has the containers only `current` has removed.
 * The order matters: new containers exist before any task moves to them, and old ones go only once no task is
 * left on them. Deactivating and reactivating the topology around it is the runtime manager's part.
 *
 * Throws SchedulerError: SCHEDULER_NOT_SCALABLE when containers change and the scheduler is not Scalable (nothing
 * done); SCHEDULER_UPDATE_FAILED when the state holds another plan (nothing done), when adding fails (nothing left
 * changed), when the plan cannot be written (the added containers are removed again), or when removing fails (the
 * new plan is in place; the message names the containers left over).
 */
export async function updatePackingPlan(scheduler: Scheduler, state: StateManager, request: UpdateRequest): Promise<PackingPlanUpdate> {
  const { topologyName: name, current, proposed } = request;
  await checkCurrentPlan(state, name, current);
  const currentIds = new Set(current.containers.map((c) => c.id));
  const proposedIds = new Set(proposed.containers.map((c) => c.id));
  const toAdd = proposed.containers.filter((c) => !currentIds.has(c.id));
  const toRemove = current.containers.filter((c) => !proposedIds.has(c.id));
  if ((toAdd.length > 0 || toRemove.length > 0) && !isScalable(scheduler)) {
    throw new SchedulerError(`the update of '${name}' adds ${toAdd.length} and removes ${toRemove.length} container(s), and this scheduler cannot add or remove containers of a running topology`, {
      code: 'SCHEDULER_NOT_SCALABLE',
    });
  }
  // Only used when containers change, which the check above allows for Scalable schedulers alone.
  const scalable = scheduler as Scheduler & Scalable;
  let added: ContainerPlan[] = [];
  if (toAdd.length > 0) {
    try {
      added = await scalable.addContainers(toAdd);
    } catch (error) {
      throw failure(`adding container(s) ${ids(toAdd)} to '${name}' failed, so its packing plan is unchanged: ${messageOf(error)}`, error);
    }
  }
  // A cluster may grant other ids than those asked for: the plan must name the containers that exist.
  const plan = createPackingPlan(proposed.id, [...proposed.containers.filter((c) => currentIds.has(c.id)), ...added]);
  try {
    await state.set('packingplans', name, packingPlanToProto(plan));
  } catch (error) {
    const undo = added.length > 0 ? await removeQuietly(scalable, added) : '';
    throw failure(`writing the new packing plan of '${name}' failed: ${messageOf(error)}${undo}`, error);
  }
  if (toRemove.length > 0) {
    try {
      await scalable.removeContainers(toRemove);
    } catch (error) {
      throw failure(`the new packing plan of '${name}' is in place, but removing container(s) ${ids(toRemove)} failed: ${messageOf(error)}`, error);
    }
  }
  return { plan, added, removed: toRemove };
}

/** Refuses an update computed against a plan the state no longer holds (another update got there first). */
async function checkCurrentPlan(state: StateManager, name: string, current: PackingPlan): Promise<void> {
  const stored = await state.find('packingplans', name);
  if (!stored) throw failure(`topology '${name}' has no packing plan in the state manager`);
  // Both sides through the same codec, so equal plans compare byte for byte whatever path they came by.
  if (!encode(packingPlanFromProto(stored)).equals(encode(current))) {
    throw failure(`the packing plan of '${name}' changed since this update was computed (another update?); compute it again from the current plan`);
  }
}

function encode(plan: PackingPlan): Buffer {
  return Buffer.from(ProtoPackingPlan.encode(packingPlanToProto(plan)).finish());
}

async function removeQuietly(scalable: Scalable, containers: readonly ContainerPlan[]): Promise<string> {
  try {
    await scalable.removeContainers(containers);
    return `; the added container(s) ${ids(containers)} were removed again`;
  } catch (error) {
    return `; removing the added container(s) ${ids(containers)} failed too: ${messageOf(error)}`;
  }
}

function ids(containers: readonly ContainerPlan[]): string {
  return containers.map((c) => c.id).join(', ');
}

function failure(message: string, cause?: unknown): SchedulerError {
  // A scheduler's own verdict (an unknown container) keeps its code; anything else is a failed update.
  const code = isPluginError(cause, 'SchedulerError', 'SCHEDULER_UNKNOWN_CONTAINER') ? 'SCHEDULER_UNKNOWN_CONTAINER' : 'SCHEDULER_UPDATE_FAILED';
  return new SchedulerError(message, { code, ...(cause === undefined ? {} : { cause }) });
}
