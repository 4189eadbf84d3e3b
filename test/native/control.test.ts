import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { heron } from '../../core/proto/generated/egret-proto.js';
import type { DataPathEvent } from '../../native/index.js';
import { encodeFrame, NO_REQUEST_ID } from '../../runtime/protocol/frames.js';
import { FakeInstance, REGISTER_INSTANCE_REQUEST } from './helpers/fake-instance.js';
import { startStreamManager, type TestStreamManager } from './helpers/stream-manager.js';
import { testRouting } from './helpers/topology.js';
import { tupleSetFrame } from './helpers/tuples.js';
import { waitFor } from './helpers/wait-for.js';

const OK = heron.proto.system.StatusCode.OK;
const NOTOK = heron.proto.system.StatusCode.NOTOK;
const ASSIGNMENT = 'heron.proto.stmgr.NewInstanceAssignmentMessage';

function registration(taskId: number, component: string): Buffer {
  return Buffer.from(
    heron.proto.stmgr.RegisterInstanceRequest.encode({
      instance: { instanceId: `container_1_${component}_${taskId}`, stmgrId: 'stmgr-1', info: { taskId, componentIndex: 0, componentName: component } },
      topologyName: 'topology',
      topologyId: 'topology-1',
    }).finish(),
  );
}

describe('control frames, replies and refusals', () => {
  let sm: TestStreamManager;
  let bolt: FakeInstance;
  const instances: FakeInstance[] = [];
  const closedEvents = (): Array<Extract<DataPathEvent, { type: 'closed' }>> => sm.events.filter((e): e is Extract<DataPathEvent, { type: 'closed' }> => e.type === 'closed');
  const connect = async (): Promise<FakeInstance> => {
    const instance = await FakeInstance.connect(sm.endpoint);
    instances.push(instance);
    return instance;
  };

  before(async () => {
    sm = await startStreamManager('stmgr-1', { maxFrameBytes: 64 * 1024 });
    sm.dataPath.setRouting(testRouting('stmgr-1'));
    bolt = await FakeInstance.register(sm.endpoint, 11, 'lowest');
    instances.push(bolt);
  });

  after(async () => {
    for (const instance of instances) instance.close();
    await sm.close();
  });

  it('delivers a registration to JS with its request id, and the reply goes back with it', async () => {
    const instance = await connect();
    const status = await instance.register(9, 'everyone');
    assert.equal(status, OK);
    const event = sm.events.find((e) => e.type === 'control' && e.messageType === REGISTER_INSTANCE_REQUEST && e.connection.id === [...sm.registered].find(([, t]) => t === 9)![0]);
    assert.ok(event && event.type === 'control');
    assert.equal(event.connection.kind, 'instance');
    assert.equal(heron.proto.stmgr.RegisterInstanceRequest.decode(event.payload).instance.info.taskId, 9);
    assert.equal(instance.frames[0]!.requestId.equals(event.requestId), true);
    assert.equal(event.requestId.equals(NO_REQUEST_ID), false);
  });

  it('a refused registration gets its NOTOK, then the connection closes with the control plane reason', async () => {
    const instance = await connect();
    assert.equal(await instance.register(999, 'nobody'), NOTOK);
    await waitFor('the refused connection to close', () => instance.closed);
    await waitFor('its closed event', () => closedEvents().some((e) => e.reason === 'closed by the control plane: unknown task 999'));
  });

  it('reads nothing after a registration until it is answered: tuples sent right behind it are routed, not dropped', async () => {
    const spout = await connect();
    const before = bolt.received.length;
    // One write: the request and the first tuples arrive together, before the control plane has answered.
    spout.write(Buffer.concat([encodeFrame(REGISTER_INSTANCE_REQUEST, registration(1, 'words'), randomBytes(32)), tupleSetFrame(1, 'words', 'default', [{ values: [Buffer.from('early')] }])]));
    await bolt.waitForTuples(before + 1);
    assert.equal(bolt.received.at(-1)!.values[0]!.toString(), 'early');
    assert.equal(sm.dataPath.stats().tuplesDropped['not-attached'], 0);
  });

  it('send() queues any frame on a connection', async () => {
    const connectionId = [...sm.registered].find(([, t]) => t === 11)![0];
    sm.dataPath.send(connectionId, ASSIGNMENT, Buffer.from([1, 2, 3]));
    await waitFor('the assignment', () => bolt.frames.some((f) => f.messageType === ASSIGNMENT));
    const frame = bolt.frames.find((f) => f.messageType === ASSIGNMENT)!;
    assert.deepEqual([...frame.payload], [1, 2, 3]);
    assert.equal(frame.requestId.equals(NO_REQUEST_ID), true);
  });

  for (const [what, bytes, reason] of [
    ['a type length of 0', Buffer.from([0, 0, 0, 41, 0, 0, 0, 0, ...Buffer.alloc(37)]), /^malformed frame: type length 0 is not between 1 and 256$/],
    ['an oversized frame', Buffer.from([0, 2, 0, 0]), /^oversized frame: 131072 bytes exceeds the limit of 65536$/],
    ['a payload length that disagrees with the size', (() => {
      const frame = encodeFrame('heron.proto.system.HeronTupleSet', Buffer.alloc(10));
      frame.writeUInt32BE(11, frame.length - 14);
      return frame;
    })(), /^malformed frame: payload length 11 does not match the frame size/],
    ['an unexpected message type', encodeFrame('heron.proto.stmgr.StrMgrHelloRequest', Buffer.alloc(0)), /^unexpected message type 'heron.proto.stmgr.StrMgrHelloRequest' on instance connection \d+$/],
    ['a HeronTupleSet that does not decode', encodeFrame('heron.proto.system.HeronTupleSet', Buffer.from([0x0a, 0x7f])), /^malformed frame: HeronTupleSet payload does not decode$/],
  ] as const) {
    it(`closes a connection that sends ${what}, with the reason, and keeps serving the others`, async () => {
      const spout = await connect();
      assert.equal(await spout.register(2, 'words'), OK);
      const connectionId = [...sm.registered].filter(([, t]) => t === 2).at(-1)![0];
      spout.write(bytes);
      await waitFor(`connection ${connectionId} to close`, () => closedEvents().some((e) => e.connection.id === connectionId));
      const event = closedEvents().find((e) => e.connection.id === connectionId)!;
      assert.match(event.reason, reason);
      assert.equal(event.connection.taskId, 2);
      await waitFor('the instance to see the close', () => spout.closed);
      const healthy = await connect();
      assert.equal(await healthy.register(2, 'words'), OK);
      const before = bolt.received.length;
      healthy.send(2, 'words', 'default', [{ values: [Buffer.from('still served')] }]);
      await bolt.waitForTuples(before + 1);
      healthy.close();
    });
  }

  it('drops, counts and warns about tuples on a stream the component does not declare, or from the wrong task', async () => {
    const spout = await connect();
    assert.equal(await spout.register(1, 'words'), OK);
    spout.send(1, 'words', 'undeclared', [{ values: [Buffer.from('a')] }, { values: [Buffer.from('b')] }]);
    spout.send(1, 'everyone', 'default', [{ values: [Buffer.from('c')] }]);
    spout.send(2, 'words', 'default', [{ values: [Buffer.from('d')] }]);
    spout.send(1, 'words', 'unheard', [{ values: [Buffer.from('e')] }]);
    await waitFor('the drops to be counted', () => {
      const dropped = sm.dataPath.stats().tuplesDropped;
      return dropped['unknown-stream'] === 3 && dropped['wrong-source'] === 1;
    });
    const warnings = (): string[] => sm.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    // Events travel separately from the stats round trip.
    await waitFor(() => `both warnings in ${warnings().join('\n')}`, () =>
      warnings().some((w) => w.includes('stream words/undeclared, which its component does not declare')) && warnings().some((w) => w.includes('as task 2 but registered as task 1')));
    const connection = sm.dataPath.stats().connections.find((c) => c.id === [...sm.registered].filter(([, t]) => t === 1).at(-1)![0])!;
    assert.equal(connection.framesDropped, 3);
  });

  it('closeConnection closes with a closed event carrying the reason; stats stop listing it', async () => {
    const instance = await connect();
    assert.equal(await instance.register(10, 'everyone'), OK);
    const connectionId = [...sm.registered].find(([, t]) => t === 10)![0];
    assert.ok(sm.dataPath.stats().connections.some((c) => c.id === connectionId && c.taskId === 10));
    sm.dataPath.closeConnection(connectionId, 'test says so');
    await waitFor('the instance to see the close', () => instance.closed);
    await waitFor('the closed event', () => closedEvents().some((e) => e.connection.id === connectionId && e.reason === 'closed by the control plane: test says so'));
    assert.ok(!sm.dataPath.stats().connections.some((c) => c.id === connectionId));
    // Naming a connection that is gone is harmless.
    sm.dataPath.send(connectionId, ASSIGNMENT, Buffer.alloc(0));
    sm.dataPath.closeConnection(connectionId, 'again');
  });
});
