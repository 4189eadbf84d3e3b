import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { heron, packingPlanToProto } from '../../core/proto/index.js';
import { stateNodeToJson } from '../../core/state/state-node-codec.js';
import { waitUntil } from '../helpers/runtime-processes.js';
import { packingPlanOf } from '../helpers/runtime-plans.js';
import { closeRuntimeTestStates } from '../helpers/runtime-test-package.js';
import { PROCESS_START_MS, PROMPTLY_MS, TManagerHarness } from './tmanager-harness.js';

import system = heron.proto.system;

const { OK, NOTOK, INVALID_STMGR, DUPLICATE_STRMGR } = system.StatusCode;
const harness = new TManagerHarness();
afterEach(() => harness.cleanUp());
after(() => closeRuntimeTestStates());

function summary(plan: system.PhysicalPlan): { state: string; stmgrs: string[]; instances: string[] } {
  return {
    state: heron.proto.api.TopologyState[plan.topology.state] ?? '?',
    stmgrs: plan.stmgrs.map((s) => `${s.id}:${s.dataPort}`),
    instances: plan.instances.map((i) => `${i.info.taskId}:${i.instanceId}:${i.stmgrId}`),
  };
}

const WORD_COUNT_INSTANCES = [
  '1:container_1_words_1:stmgr-1',
  '2:container_2_words_2:stmgr-2',
  '3:container_1_counter_3:stmgr-1',
  '4:container_2_counter_4:stmgr-2',
  '5:container_1_sink_5:stmgr-1',
];

describe('egret-tmanager', () => {
  it('publishes its location, waits for every stream manager, then writes the plan to state and pushes it to each', async () => {
    const setup = await harness.start();
    assert.equal(setup.location.topologyId, setup.pkg.topologyId);
    assert.equal(setup.location.host, '127.0.0.1');
    const sm1 = await setup.registered(1);
    const early = await setup.controller('/physicalplan');
    assert.equal(early.status, 404);
    assert.deepEqual(early.body['waitingFor'], [{ id: 'stmgr-2', reason: 'not registered' }]);
    assert.equal(await setup.state.find('pplans', 'wc'), undefined);

    const sm2 = await setup.registered(2);
    const [plan1, plan2] = await Promise.all([sm1.plan(1), sm2.plan(1)]);
    assert.deepEqual(summary(plan1), { state: 'RUNNING', stmgrs: ['stmgr-1:40001', 'stmgr-2:40002'], instances: WORD_COUNT_INSTANCES });
    assert.deepEqual(summary(plan2), summary(plan1));
    assert.equal(plan1.topology.id, setup.pkg.topologyId);
    assert.deepEqual((plan1.topology.bolts ?? []).map((b) => b.comp.name), ['counter', 'sink']);
    const stored = await setup.state.get('pplans', 'wc');
    assert.deepEqual(stateNodeToJson('pplans', stored), stateNodeToJson('pplans', plan1));
    const served = await setup.controller('/physicalplan');
    assert.equal(served.status, 200);
    assert.deepEqual(served.body, stateNodeToJson('pplans', plan1));

    assert.equal((await sm1.heartbeat()).status.status, OK);
    assert.equal(sm1.plans.length, 1, 'one plan, pushed once all registered');
  });

  it('refuses an unknown stream manager (INVALID_STMGR) and a second live one with a taken id (DUPLICATE_STRMGR)', async () => {
    const setup = await harness.start();
    const stranger = await setup.connect();
    const invalid = await stranger.register(7, { plan: setup.plan });
    assert.equal(invalid.status.status, INVALID_STMGR);
    assert.match(invalid.status.message ?? '', /stmgr-7 is not a stream manager of packing plan/);
    assert.equal((await stranger.heartbeat()).status.status, NOTOK, 'a heartbeat before registering is refused');

    await setup.registered(1);
    const zombie = await setup.connect();
    const duplicate = await zombie.register(1, { plan: setup.plan, dataPort: 41234, pid: 999_999 });
    assert.equal(duplicate.status.status, DUPLICATE_STRMGR);
    assert.match(duplicate.status.message ?? '', /stmgr-1 is already registered by a live process/);
    await setup.tmanager.waitForLog('the refusal logged', (l) => l.message === 'stream manager registration refused' && l['status'] === 'DUPLICATE_STRMGR', PROMPTLY_MS);
  });

  it('republishes the plan with the new address when a stream manager that disconnected registers again', async () => {
    const setup = await harness.start();
    const sm1 = await setup.registered(1);
    const sm2 = await setup.registered(2);
    await sm1.plan(1);
    const mark = setup.tmanager.logs.length;
    sm2.close();
    await setup.tmanager.waitForLog('the disconnect noticed', (l) => l.message.startsWith('stream manager disconnected') && l['stmgr'] === 'stmgr-2', PROMPTLY_MS, mark);
    const reborn = await setup.registered(2, { dataPort: 45002, pid: 12345 });
    const [again, first] = await Promise.all([sm1.plan(2), reborn.plan(1)]);
    assert.deepEqual(summary(again).stmgrs, ['stmgr-1:40001', 'stmgr-2:45002']);
    assert.deepEqual(summary(first), summary(again));
    assert.equal((await setup.state.get('pplans', 'wc')).stmgrs[1]?.dataPort, 45002);
  });

  it('drops a stream manager that stops sending heartbeats, and takes it back when it registers again', async () => {
    const setup = await harness.start({ config: { 'egret.tmanager.stmgr.timeout.ms': 1500 } });
    const sm1 = await setup.registered(1);
    const silent = await setup.registered(2);
    await sm1.plan(1);
    // sm1 keeps beating; silent does not.
    const beating = setInterval(() => void sm1.heartbeat().catch(() => undefined), 300);
    try {
      assert.match(await silent.closedByPeer(PROMPTLY_MS), /closed by the other end/);
      await setup.tmanager.waitForLog('the timeout logged', (l) => l.message.startsWith('stream manager timed out') && l['stmgr'] === 'stmgr-2', PROMPTLY_MS);
      assert.equal(sm1.closeReason, undefined, 'the live one stays');
      const back = await setup.registered(2, { dataPort: 46002 });
      assert.deepEqual(summary(await back.plan(1)).stmgrs, ['stmgr-1:40001', 'stmgr-2:46002']);
    } finally {
      clearInterval(beating);
    }
  });

  it('activates and deactivates over HTTP: the state, the plan pushed and the topology node follow', async () => {
    const setup = await harness.start();
    const id = setup.pkg.topologyId;
    const sm1 = await setup.registered(1);
    const sm2 = await setup.registered(2);
    await Promise.all([sm1.plan(1), sm2.plan(1)]);

    const wrong = await setup.controller('/deactivate?topologyid=nope', 'POST');
    assert.equal(wrong.status, 400);
    assert.match(String(wrong.body['error']), /topology id 'nope' is not this topology's/);
    assert.equal((await setup.controller('/deactivate')).status, 400);
    assert.equal((await setup.controller('/elsewhere')).status, 404);
    assert.equal((await setup.controller(`/activate?topologyid=${id}`, 'DELETE')).status, 405);

    const paused = await setup.controller(`/deactivate?topologyid=${id}`, 'POST');
    assert.deepEqual(paused, { status: 200, body: { topology: 'wc', state: 'PAUSED', changed: true, message: "topology 'wc' deactivated" } });
    const [p1, p2] = await Promise.all([sm1.plan(2), sm2.plan(2)]);
    assert.equal(summary(p1).state, 'PAUSED');
    assert.equal(summary(p2).state, 'PAUSED');
    assert.deepEqual(summary(p1).stmgrs, ['stmgr-1:40001', 'stmgr-2:40002']);
    assert.equal((await setup.state.get('topologies', 'wc')).state, heron.proto.api.TopologyState.PAUSED);
    assert.equal((await setup.state.get('pplans', 'wc')).topology.state, heron.proto.api.TopologyState.PAUSED);

    const again = await setup.controller(`/deactivate?topologyid=${id}`);
    assert.equal(again.status, 200);
    assert.equal(again.body['message'], "topology 'wc' is already deactivated");
    assert.equal(again.body['changed'], false);

    const running = await setup.controller(`/activate?topologyid=${id}`);
    assert.equal(running.status, 200);
    assert.equal(summary(await sm1.plan(3)).state, 'RUNNING');
    assert.equal((await setup.state.get('topologies', 'wc')).state, heron.proto.api.TopologyState.RUNNING);
    assert.equal(sm1.plans.length, 3, 'the repeated deactivate pushed nothing');
  });

  it('tells the live stream managers of a deactivation while another is away', async () => {
    const setup = await harness.start();
    const sm1 = await setup.registered(1);
    const sm2 = await setup.registered(2);
    await sm1.plan(1);
    sm2.close();
    await setup.tmanager.waitForLog('the disconnect noticed', (l) => l.message.startsWith('stream manager disconnected'), PROMPTLY_MS);
    assert.equal((await setup.controller(`/deactivate?topologyid=${setup.pkg.topologyId}`)).status, 200);
    assert.equal(summary(await sm1.plan(2)).state, 'PAUSED');
    const back = await setup.registered(2, { dataPort: 47002 });
    assert.equal(summary(await back.plan(1)).state, 'PAUSED', 'the plan made on its return keeps the state');
  });

  it('killed and restarted, writes its new location, takes the re-registrations and republishes, keeping the live state', async () => {
    const setup = await harness.start();
    const sm1 = await setup.registered(1);
    const sm2 = await setup.registered(2);
    await sm1.plan(1);
    assert.equal((await setup.controller(`/deactivate?topologyid=${setup.pkg.topologyId}`)).status, 200);
    await sm1.plan(2);
    const old = setup.location;
    await setup.tmanager.kill('SIGKILL');
    await Promise.all([sm1.closedByPeer(), sm2.closedByPeer()]);

    await harness.restart(setup);
    assert.notEqual(setup.location.serverPort, old.serverPort);
    const [again1, again2] = [await setup.registered(1), await setup.registered(2)];
    const [p1, p2] = await Promise.all([again1.plan(1), again2.plan(1)]);
    assert.deepEqual(summary(p1), { state: 'PAUSED', stmgrs: ['stmgr-1:40001', 'stmgr-2:40002'], instances: WORD_COUNT_INSTANCES });
    assert.deepEqual(summary(p2), summary(p1));
  });

  it('follows a new packing plan: drops the stream manager it no longer has and publishes once the new set registered', async () => {
    const setup = await harness.start();
    const sm1 = await setup.registered(1);
    const sm2 = await setup.registered(2);
    await sm1.plan(1);
    const next = packingPlanOf(setup.pkg.topologyId, {
      1: [
        ['words', 1, 0],
        ['counter', 3, 0],
        ['sink', 5, 0],
      ],
      3: [
        ['words', 2, 1],
        ['counter', 4, 1],
      ],
    });
    await setup.state.set('packingplans', 'wc', packingPlanToProto(next));
    assert.match(await sm2.closedByPeer(PROMPTLY_MS), /closed by the other end/);
    const sm3 = await setup.connect();
    assert.equal((await sm3.register(3, { plan: next })).status.status, OK);
    const [p1, p3] = await Promise.all([sm1.plan(2), sm3.plan(1)]);
    assert.deepEqual(summary(p1).stmgrs, ['stmgr-1:40001', 'stmgr-3:40003']);
    assert.deepEqual(summary(p3).instances, WORD_COUNT_INSTANCES.map((i) => i.replace('container_2', 'container_3').replace('stmgr-2', 'stmgr-3')));
  });

  it('on SIGTERM, removes its location and exits 0; it also exits when its executor’s IPC channel closes', async () => {
    const setup = await harness.start();
    await setup.tmanager.kill('SIGTERM');
    assert.equal(await setup.tmanager.exit(), 0);
    assert.equal(await setup.state.find('tmanagers', 'wc'), undefined, 'the location goes with the process');
    const orphan = await harness.restart(setup);
    orphan.child.disconnect();
    assert.equal(await waitUntil('the topology manager to exit', async () => (orphan.hasExited ? orphan.exit() : undefined), PROCESS_START_MS), 0);
  });

  it('runs an ATLEAST_ONCE topology', async () => {
    const setup = await harness.start({ topologyConfig: { 'topology.reliability.mode': 'ATLEAST_ONCE' } });
    const [sm1] = await Promise.all([setup.registered(1), setup.registered(2)]);
    assert.equal(summary(await sm1.plan(1)).instances.length, WORD_COUNT_INSTANCES.length);
  });

  it('refuses to run a topology whose reliability mode is still to come, saying so', async () => {
    const { pkg } = await harness.writePackage({ topologyConfig: { 'topology.reliability.mode': 'EFFECTIVELY_ONCE' } });
    const tmanager = harness.startProcess(pkg);
    assert.equal(await waitUntil('the topology manager to exit', async () => (tmanager.hasExited ? tmanager.exit() : undefined), PROCESS_START_MS), 1);
    const refusal = tmanager.logs.find((l) => l.message === 'the topology manager cannot start');
    assert.ok(refusal, tmanager.describeOutput());
    assert.equal(refusal['code'], 'TMANAGER_UNSUPPORTED');
    assert.match(String(refusal['error']), /topology\.reliability\.mode is "EFFECTIVELY_ONCE": this version of Egret runs ATMOST_ONCE, ATLEAST_ONCE topologies only/);
    const state = await pkg.openState();
    assert.equal(await state.find('tmanagers', 'wc'), undefined, 'no location left behind');
  });
});
