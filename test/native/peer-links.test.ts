import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { DataPathEvent } from '../../native/index.js';
import { FakeInstance } from './helpers/fake-instance.js';
import { STRMGR_HELLO_RESPONSE, startStreamManager, type TestStreamManager } from './helpers/stream-manager.js';
import { testRouting } from './helpers/topology.js';
import { waitFor } from './helpers/wait-for.js';

// Spout task 1 on stmgr-1; everything else, including the global bolt's task 11, on stmgr-2.
const placement = (task: number): string => (task === 1 ? 'stmgr-1' : 'stmgr-2');
const helloAnswers = (sm: TestStreamManager): number => sm.events.filter((e) => e.type === 'control' && e.messageType === STRMGR_HELLO_RESPONSE).length;
const closedPeerOut = (sm: TestStreamManager): Array<Extract<DataPathEvent, { type: 'closed' }>> =>
  sm.events.filter((e): e is Extract<DataPathEvent, { type: 'closed' }> => e.type === 'closed' && e.connection.kind === 'peer-out');

describe('links between stream managers', () => {
  const open: Array<{ close(): unknown }> = [];
  after(async () => {
    for (const thing of open.reverse()) await thing.close();
  });

  it('reconnect to a peer that restarts, and route to it again', async () => {
    const one = await startStreamManager('stmgr-1');
    open.push(one);
    let two = await startStreamManager('stmgr-2');
    open.push(two);
    const peers = [
      { stmgrId: 'stmgr-1', host: '127.0.0.1', port: one.dataPort },
      { stmgrId: 'stmgr-2', host: '127.0.0.1', port: two.dataPort },
    ];
    one.dataPath.setRouting(testRouting('stmgr-1', placement, peers));
    two.dataPath.setRouting(testRouting('stmgr-2', placement, peers));
    await waitFor('stmgr-1 to reach stmgr-2', () => helloAnswers(one) === 1);
    let bolt = await FakeInstance.register(two.endpoint, 11, 'lowest');
    open.push(bolt);
    const spout = await FakeInstance.register(one.endpoint, 1, 'words');
    open.push(spout);
    spout.send(1, 'words', 'default', [{ values: [Buffer.from('before')] }]);
    await bolt.waitForTuples(1);
    const peerIn = two.dataPath.stats().connections.find((c) => c.kind === 'peer-in')!;
    assert.equal(peerIn.stmgrId, 'stmgr-1');
    assert.equal(peerIn.tuplesIn, 6, 'one copy per subscriber task there');

    // stmgr-2 goes away: stmgr-1 sees its link close, and drops (counts) what it cannot deliver meanwhile.
    await two.close();
    bolt.close();
    await waitFor('stmgr-1 to see the link close', () => closedPeerOut(one).length === 1);
    assert.equal(closedPeerOut(one)[0]!.connection.stmgrId, 'stmgr-2');
    spout.send(1, 'words', 'default', [{ values: [Buffer.from('lost')] }]);
    // One copy per subscriber task it would reach: shuffle, fields, all (2), global and none.
    await waitFor('the drops to be counted', () => one.dataPath.stats().tuplesDropped['destination-unreachable'] === 6);

    // It comes back on the same port; stmgr-1 reconnects by itself (every 50 ms here) and says hello again.
    two = await startStreamManager('stmgr-2', { dataPort: peers[1]!.port });
    open.push(two);
    two.dataPath.setRouting(testRouting('stmgr-2', placement, peers));
    bolt = await FakeInstance.register(two.endpoint, 11, 'lowest');
    open.push(bolt);
    await waitFor('stmgr-1 to reconnect', () => helloAnswers(one) === 2);
    spout.send(1, 'words', 'default', [{ values: [Buffer.from('after')] }]);
    await bolt.waitForTuples(1);
    assert.equal(bolt.received[0]!.values[0]!.toString(), 'after');
  });

  it('drop the links, both ways, to a peer the new routing no longer has', async () => {
    const one = await startStreamManager('stmgr-1');
    open.push(one);
    const two = await startStreamManager('stmgr-2');
    open.push(two);
    const peers = [
      { stmgrId: 'stmgr-1', host: '127.0.0.1', port: one.dataPort },
      { stmgrId: 'stmgr-2', host: '127.0.0.1', port: two.dataPort },
    ];
    one.dataPath.setRouting(testRouting('stmgr-1', placement, peers));
    two.dataPath.setRouting(testRouting('stmgr-2', placement, peers));
    await waitFor('both links', () => helloAnswers(one) === 1 && helloAnswers(two) === 1);
    one.dataPath.setRouting(testRouting('stmgr-1', () => 'stmgr-1', []));
    await waitFor('both of stmgr-1 links to close', () => one.events.filter((e) => e.type === 'closed' && e.reason === 'peer is no longer in the physical plan').length === 2);
    await waitFor('stmgr-1 to list no peer connection', () => one.dataPath.stats().connections.length === 0);
    // stmgr-1 does not dial stmgr-2 again. (stmgr-2, whose routing still has stmgr-1, redials; once it has, more
    // than one reconnect interval has passed.)
    await waitFor('stmgr-2 to redial stmgr-1', () => helloAnswers(two) === 2);
    assert.equal(helloAnswers(one), 1);
  });
});
