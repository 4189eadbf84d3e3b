import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { heron } from '../../core/proto/index.js';
import { useZooKeeper } from '../helpers/zookeeper-server.js';
import { closeRuntimeTestStates } from '../helpers/runtime-test-package.js';
import { PROMPTLY_MS, TManagerHarness } from './tmanager-harness.js';

const SESSION_TIMEOUT_MS = 2000;
const zookeeper = useZooKeeper();
const harness = new TManagerHarness();
afterEach(() => harness.cleanUp());
after(() => closeRuntimeTestStates());

describe('egret-tmanager on ZooKeeper', () => {
  it('restarted after a SIGKILL, waits for its predecessor’s ephemeral location to expire, then takes over and republishes', async () => {
    const setup = await harness.start({
      config: {
        'egret.statemgr': 'zookeeper',
        'egret.statemgr.zookeeper.connection.string': zookeeper().connectionString,
        'egret.statemgr.zookeeper.root': `/egret-tmanager-${process.pid}`,
        'egret.statemgr.zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS,
        'egret.statemgr.zookeeper.connect.timeout.ms': 5000,
      },
    });
    const sm1 = await setup.registered(1);
    const sm2 = await setup.registered(2);
    await Promise.all([sm1.plan(1), sm2.plan(1)]);
    const old = setup.location;
    await setup.tmanager.kill('SIGKILL');
    const killedAt = Date.now();

    const successor = await harness.restart(setup);
    assert.ok(Date.now() - killedAt >= SESSION_TIMEOUT_MS / 2, 'the old location outlived its owner for a while');
    assert.notEqual(setup.location.serverPort, old.serverPort);
    await successor.waitForLog('the wait for the old location', (l) => l.message === 'a topology manager location already exists; waiting for it to go away', PROMPTLY_MS);
    await successor.waitForLog('the location written', (l) => l.message === 'location written after the previous one went away', PROMPTLY_MS);
    const [again1, again2] = [await setup.registered(1), await setup.registered(2)];
    const [plan] = await Promise.all([again1.plan(1), again2.plan(1)]);
    assert.equal(plan.topology.state, heron.proto.api.TopologyState.RUNNING);
    assert.equal((await setup.state.get('pplans', 'wc')).stmgrs.length, 2);
  });
});
