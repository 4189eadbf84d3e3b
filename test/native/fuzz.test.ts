import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { heron } from '../../core/proto/generated/egret-proto.js';
import { encodeFrame } from '../../runtime/protocol/frames.js';
import { FakeInstance, REGISTER_INSTANCE_REQUEST, socketPath } from './helpers/fake-instance.js';
import { STRMGR_HELLO_REQUEST, STRMGR_HELLO_RESPONSE, startStreamManager, type TestStreamManager } from './helpers/stream-manager.js';
import { testRouting } from './helpers/topology.js';
import { encodeTupleSet, HERON_TUPLE_SET, tupleSetFrame } from './helpers/tuples.js';
import { waitFor } from './helpers/wait-for.js';

const ITERATIONS = 4000;
const CONCURRENCY = 32;
const SEED = Number(process.env['EGRET_FUZZ_SEED'] ?? Date.now() % 1_000_000);

/** A small seeded generator (mulberry32), so a failing run can be replayed with EGRET_FUZZ_SEED. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(SEED);
const below = (n: number): number => Math.floor(random() * n);
const bytesOf = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => below(256)));

function mutate(bytes: Buffer, from = 0): Buffer {
  const copy = Buffer.from(bytes);
  const flips = 1 + below(4);
  for (let i = 0; i < flips && copy.length > from; i++) copy[from + below(copy.length - from)] = below(256);
  return copy;
}

function validPayload(): Buffer {
  const tuples = Array.from({ length: 1 + below(5) }, () => ({
    values: Array.from({ length: below(4) }, () => bytesOf(below(30))),
    destTaskIds: below(3) === 0 ? [below(25)] : [],
    key: BigInt(below(1000)),
    roots: below(3) === 0 ? [{ taskid: 2, key: 7n }] : [],
  }));
  return encodeTupleSet(2, 'words', below(5) === 0 ? 'other' : 'default', tuples);
}

const registration = (): Buffer =>
  encodeFrame(
    REGISTER_INSTANCE_REQUEST,
    heron.proto.stmgr.RegisterInstanceRequest.encode({ instance: { instanceId: 'fuzz', stmgrId: 'stmgr-1', info: { taskId: 2, componentIndex: 0, componentName: 'words' } }, topologyName: 't', topologyId: 't' }).finish(),
    randomBytes(32),
  );

const TUPLE_STREAM = 'heron.proto.stmgr.TupleStreamMessage';
const hello = (): Buffer => encodeFrame(STRMGR_HELLO_REQUEST, heron.proto.stmgr.StrMgrHelloRequest.encode({ topologyName: 't', topologyId: 't', stmgr: `fuzz-${below(5)}` }).finish(), randomBytes(32));
function tupleStream(): Buffer {
  const set = heron.proto.system.HeronTupleSet2.encode({ srcTaskId: 3, data: { stream: { id: 'default', componentName: 'words' }, tuples: [bytesOf(below(40))] } }).finish();
  const payload = heron.proto.stmgr.TupleStreamMessage.encode({ taskId: [3, 12, 99, -1][below(4)]!, set, srcTaskId: below(20), numTuples: below(3) }).finish();
  return encodeFrame(TUPLE_STREAM, payload);
}

/** One kind of bad input per case, on the local endpoint: the frame parser's, the payload decoder's, the router's. */
const INSTANCE_CASES: ReadonlyArray<() => Buffer[]> = [
  () => [bytesOf(below(200))],
  () => {
    const frame = encodeFrame(HERON_TUPLE_SET, validPayload());
    return [frame.subarray(0, below(frame.length))];
  },
  () => [mutate(encodeFrame(HERON_TUPLE_SET, validPayload()))],
  () => [encodeFrame(HERON_TUPLE_SET, mutate(validPayload()))],
  () => [registration(), encodeFrame(HERON_TUPLE_SET, mutate(validPayload()))],
  () => [registration(), encodeFrame(HERON_TUPLE_SET, validPayload()), bytesOf(below(100))],
  () => [Buffer.from([0xff, 0xff, 0xff, 0xff]), bytesOf(64)],
  () => [encodeFrame(bytesOf(1 + below(40)).toString('latin1').replace(/[^\x21-\x7e]/g, 'x'), bytesOf(below(100)))],
];

/** The same on the data port, as a peer stream manager. */
const PEER_CASES: ReadonlyArray<() => Buffer[]> = [
  () => [bytesOf(below(200))],
  () => {
    const frame = tupleStream();
    return [hello(), frame.subarray(0, below(frame.length))];
  },
  () => [hello(), mutate(tupleStream())],
  () => [mutate(hello()), tupleStream()],
  () => [tupleStream()],
  () => [hello(), tupleStream(), encodeFrame(TUPLE_STREAM, bytesOf(below(60)))],
  () => [hello(), encodeFrame(HERON_TUPLE_SET, validPayload())],
];

async function assault(target: { path: string } | { port: number; host: string }, chunks: Buffer[]): Promise<void> {
  const socket: Socket = connect(target);
  socket.on('error', () => {});
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  for (const chunk of chunks) socket.write(chunk);
  // Half the time hang up at once, half the time let the stream manager decide.
  if (random() < 0.5) socket.end();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, 50);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe(`stream managers under random and truncated frames (seed ${SEED})`, () => {
  // stmgr-1 hosts the healthy spout (task 1) and bolt (task 11) and takes the attacks on its local endpoint;
  // stmgr-2 hosts every other task, without instances, and takes the attacks on its data port while stmgr-1's
  // link to it carries the healthy spout's tuples for its tasks.
  const placement = (task: number): string => (task === 1 || task === 11 ? 'stmgr-1' : 'stmgr-2');
  let one: TestStreamManager;
  let two: TestStreamManager;
  let spout: FakeInstance;
  let bolt: FakeInstance;

  before(async () => {
    one = await startStreamManager('stmgr-1', { maxFrameBytes: 1024 * 1024 });
    two = await startStreamManager('stmgr-2', { maxFrameBytes: 1024 * 1024 });
    const peers = [
      { stmgrId: 'stmgr-1', host: '127.0.0.1', port: one.dataPort },
      { stmgrId: 'stmgr-2', host: '127.0.0.1', port: two.dataPort },
    ];
    one.dataPath.setRouting(testRouting('stmgr-1', placement, peers));
    two.dataPath.setRouting(testRouting('stmgr-2', placement, peers));
    await waitFor('the link from stmgr-1 to stmgr-2', () => one.events.some((e) => e.type === 'control' && e.messageType === STRMGR_HELLO_RESPONSE));
    bolt = await FakeInstance.register(one.endpoint, 11, 'lowest');
    spout = await FakeInstance.register(one.endpoint, 1, 'words');
  });

  after(async () => {
    spout?.close();
    bolt?.close();
    await one?.close();
    await two?.close();
  });

  it(`never crash in ${ITERATIONS} attacks from ${CONCURRENCY} connections at a time, and keep serving the healthy ones`, async () => {
    const link = (): { id: number; tuplesIn: number } | undefined => two.dataPath.stats().connections.find((c) => c.kind === 'peer-in' && c.stmgrId === 'stmgr-1');
    const linkId = link()!.id;
    let sent = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ITERATIONS) {
        next++;
        if (random() < 0.7) {
          await assault({ path: socketPath(one.endpoint) }, INSTANCE_CASES[below(INSTANCE_CASES.length)]!());
        } else {
          await assault({ host: '127.0.0.1', port: two.dataPort }, PEER_CASES[below(PEER_CASES.length)]!());
        }
        spout.write(tupleSetFrame(1, 'words', 'default', [{ values: [Buffer.from('healthy'), Buffer.from(String(sent++))] }]));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const healthy = (): number => bolt.received.filter((t) => t.srcTaskId === 1).length;
    await waitFor(() => `${sent} healthy tuples at the bolt (have ${healthy()}; ${JSON.stringify(one.dataPath.stats())})`, () => healthy() === sent);
    const numbers = bolt.received.filter((t) => t.srcTaskId === 1).map((t) => Number(t.values[1]!.toString()));
    assert.deepEqual(numbers, Array.from({ length: sent }, (_, i) => i));
    // stmgr-2 kept its link from stmgr-1 and took the healthy spout's copies for its tasks: shuffle, fields, all
    // (2), none.
    await waitFor('the link to carry every copy', () => link()?.tuplesIn === 5 * sent);
    assert.equal(link()!.id, linkId);
    const closed = [...one.events, ...two.events].filter((e) => e.type === 'closed');
    assert.ok(closed.length > ITERATIONS / 2, `${closed.length} connections closed`);
    // Left: stmgr-1's spout, bolt and both links; stmgr-2's two links.
    const kinds = (sm: TestStreamManager): string => sm.dataPath.stats().connections.map((c) => `${c.kind}:${c.taskId ?? c.stmgrId}`).sort().join(' ');
    await waitFor(() => `every attacking connection to be gone (${kinds(one)} / ${kinds(two)})`, () =>
      kinds(one) === 'instance:1 instance:11 peer-in:stmgr-2 peer-out:stmgr-2' && kinds(two) === 'peer-in:stmgr-1 peer-out:stmgr-1');
    assert.equal(spout.closed || bolt.closed, false);
    // Whatever stmgr-1 let through from the attacks on its endpoint (their valid tuples), an instance can decode.
    assert.equal(bolt.decodeErrors, 0);
  });
});
