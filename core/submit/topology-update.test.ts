import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStateManager } from '../../test/helpers/memory-state-manager.js';
import { packingPlanOf } from '../../test/helpers/runtime-plans.js';
import { packingPlanFromProto, packingPlanToProto } from '../proto/index.js';
import type { ContainerPlan, PackingPlan } from '../spi/packing-plan.js';
import type { Scalable, Scheduler } from '../spi/scheduler.js';
import { updatePackingPlan } from './topology-update.js';

const CURRENT = packingPlanOf('t-1', { 1: [['a', 1, 0]], 2: [['a', 2, 1]] });
const PROPOSED = packingPlanOf('t-1', { 1: [['a', 1, 0], ['a', 2, 1]], 3: [['b', 3, 0]] });

/** A scheduler that records what it was asked, with the plan the state held at that moment. */
class RecordingScheduler implements Scheduler, Scalable {
  readonly calls: string[] = [];
  grant: (containers: readonly ContainerPlan[]) => ContainerPlan[] = (containers) => [...containers];
  failRemove = false;

  constructor(private readonly state: MemoryStateManager) {}

  async addContainers(containers: readonly ContainerPlan[]): Promise<ContainerPlan[]> {
    this.calls.push(`add ${containers.map((c) => c.id).join(',')} while the plan holds ${await this.planIds()}`);
    return this.grant(containers);
  }

  async removeContainers(containers: readonly ContainerPlan[]): Promise<void> {
    this.calls.push(`remove ${containers.map((c) => c.id).join(',')} while the plan holds ${await this.planIds()}`);
    if (this.failRemove) throw new Error('container 2 is stuck');
  }

  private async planIds(): Promise<string> {
    const proto = await this.state.find('packingplans', 't');
    return proto ? packingPlanFromProto(proto).containers.map((c) => c.id).join(',') : 'nothing';
  }

  onSchedule = () => Promise.resolve();
  jobLinks = () => [];
  onKill = () => Promise.resolve();
  onRestart = () => Promise.resolve();
  onUpdate = () => Promise.resolve();
  close = () => Promise.resolve();
}

async function stateWith(plan: PackingPlan): Promise<MemoryStateManager> {
  const state = new MemoryStateManager();
  await state.set('packingplans', 't', packingPlanToProto(plan));
  return state;
}

describe('updatePackingPlan', () => {
  it('adds the new containers before the plan is replaced and removes the old ones after', async () => {
    const state = await stateWith(CURRENT);
    const scheduler = new RecordingScheduler(state);
    const update = await updatePackingPlan(scheduler, state, { topologyName: 't', current: CURRENT, proposed: PROPOSED });
    assert.deepEqual(scheduler.calls, ['add 3 while the plan holds 1,2', 'remove 2 while the plan holds 1,3']);
    assert.deepEqual(packingPlanFromProto(await state.get('packingplans', 't')), PROPOSED);
    assert.deepEqual(update.added.map((c) => c.id), [3]);
    assert.deepEqual(update.removed.map((c) => c.id), [2]);
  });

  it('writes the containers as the scheduler granted them, under the ids it chose', async () => {
    const state = await stateWith(CURRENT);
    const scheduler = new RecordingScheduler(state);
    scheduler.grant = (containers) => containers.map((c) => ({ ...c, id: c.id + 10 }));
    const { plan } = await updatePackingPlan(scheduler, state, { topologyName: 't', current: CURRENT, proposed: PROPOSED });
    assert.deepEqual(plan.containers.map((c) => c.id), [1, 13]);
    assert.deepEqual(packingPlanFromProto(await state.get('packingplans', 't')).containers.map((c) => c.id), [1, 13]);
  });

  it('needs a Scalable scheduler only when containers change', async () => {
    const state = await stateWith(CURRENT);
    const fixed: Scheduler = { jobLinks: () => [], onSchedule: async () => {}, onKill: async () => {}, onRestart: async () => {}, onUpdate: async () => {}, close: async () => {} };
    await assert.rejects(updatePackingPlan(fixed, state, { topologyName: 't', current: CURRENT, proposed: PROPOSED }), { code: 'SCHEDULER_NOT_SCALABLE' });
    assert.deepEqual(packingPlanFromProto(await state.get('packingplans', 't')), CURRENT, 'nothing changed');
    const moved = packingPlanOf('t-1', { 1: [['a', 2, 1]], 2: [['a', 1, 0]] });
    await updatePackingPlan(fixed, state, { topologyName: 't', current: CURRENT, proposed: moved });
    assert.deepEqual(packingPlanFromProto(await state.get('packingplans', 't')), moved);
  });

  it('refuses an update computed against a plan the state no longer holds', async () => {
    const state = await stateWith(PROPOSED);
    const scheduler = new RecordingScheduler(state);
    await assert.rejects(updatePackingPlan(scheduler, state, { topologyName: 't', current: CURRENT, proposed: PROPOSED }), { code: 'SCHEDULER_UPDATE_FAILED', message: /changed since/ });
    assert.deepEqual(scheduler.calls, []);
  });

  it('removes the added containers again when the plan cannot be written', async () => {
    const state = await stateWith(CURRENT);
    const scheduler = new RecordingScheduler(state);
    const set = state.set.bind(state);
    state.set = (() => Promise.reject(new Error('disk full'))) as typeof state.set;
    await assert.rejects(updatePackingPlan(scheduler, state, { topologyName: 't', current: CURRENT, proposed: PROPOSED }), {
      code: 'SCHEDULER_UPDATE_FAILED',
      message: /writing the new packing plan of 't' failed: disk full; the added container\(s\) 3 were removed again/,
    });
    state.set = set;
    assert.deepEqual(scheduler.calls, ['add 3 while the plan holds 1,2', 'remove 3 while the plan holds 1,2']);
  });

  it('says the new plan is in place when removing the old containers fails', async () => {
    const state = await stateWith(CURRENT);
    const scheduler = new RecordingScheduler(state);
    scheduler.failRemove = true;
    await assert.rejects(updatePackingPlan(scheduler, state, { topologyName: 't', current: CURRENT, proposed: PROPOSED }), {
      code: 'SCHEDULER_UPDATE_FAILED',
      message: /the new packing plan of 't' is in place, but removing container\(s\) 2 failed: container 2 is stuck/,
    });
    assert.deepEqual(packingPlanFromProto(await state.get('packingplans', 't')), PROPOSED);
  });
});
