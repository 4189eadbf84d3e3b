import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import winston from 'winston';
import { Config } from '../../core/config/config.js';
import { readRuntimeConfig } from '../../core/config/runtime-config.js';
import { heron, packingPlanToProto, topologyToProto } from '../../core/proto/index.js';
import { FakeDataPath } from '../../test/helpers/fake-data-path.js';
import { MemoryStateManager } from '../../test/helpers/memory-state-manager.js';
import { waitUntil } from '../../test/helpers/runtime-processes.js';
import { packingPlanOf, wordCountPackingPlan, wordCountTopology } from '../../test/helpers/runtime-plans.js';
import { MessageTypes } from '../common/message-types.js';
import { expectedInstancesOf, instanceIdOf } from '../common/runtime-ids.js';
import { TopologyManager } from '../tmanager/topology-manager.js';
import { StreamManager, type StreamManagerOptions } from './stream-manager.js';

import system = heron.proto.system;
import stmgr = heron.proto.stmgr;

const TOPOLOGY_ID = 'wc-7';
const RUNTIME_KEYS = { 'egret.stmgr.heartbeat.interval.ms': 100, 'egret.stmgr.reconnect.interval.ms': 50, 'egret.tmanager.stmgr.timeout.ms': 5000 };
// The control plane logs refusals at warn; the assertions check them, the test output need not.
const logger = winston.createLogger({ silent: true });
const SOON_MS = 5000;
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A topology in memory state, stream managers on fake data paths, and a real topology manager in this process. */
async function world(runtimeKeys: Record<string, number> = {}) {
  const runtime = readRuntimeConfig({ ...RUNTIME_KEYS, ...runtimeKeys });
  const state = new MemoryStateManager();
  const packing = wordCountPackingPlan(TOPOLOGY_ID);
  await state.create('topologies', 'wc', topologyToProto(wordCountTopology('wc'), { id: TOPOLOGY_ID }));
  await state.create('packingplans', 'wc', packingPlanToProto(packing));
  const paths = new Map<number, FakeDataPath>();
  const startStMgr = async (container: number, extra: Partial<StreamManagerOptions> = {}): Promise<{ manager: StreamManager; path: FakeDataPath }> => {
    const manager = await StreamManager.start({
      // No metrics manager runs here: a publisher that drops everything.
      createMetricsPublisher: () => ({ connected: false, publish: () => undefined, close: () => undefined }),
      state,
      topologyName: 'wc',
      topologyId: TOPOLOGY_ID,
      container,
      runtime,
      host: '127.0.0.1',
      logger,
      createDataPath: (options) => {
        const path = new FakeDataPath(options, 7000 + container);
        paths.set(container, path);
        return path;
      },
      ...extra,
    });
    cleanups.push(() => manager.stop());
    return { manager, path: paths.get(container)! };
  };
  const startTManager = async (): Promise<TopologyManager> => {
    const tmanager = await TopologyManager.start({
      state,
      topologyName: 'wc',
      topologyId: TOPOLOGY_ID,
      config: Config.empty(),
      runtime,
      host: '127.0.0.1',
      logger,
      onFatal: (reason) => assert.fail(`the topology manager lost its place: ${reason}`),
      locationRetryForMs: 2000,
      locationRetryIntervalMs: 20,
    });
    cleanups.push(() => tmanager.stop());
    return tmanager;
  };
  return { state, packing, startStMgr, startTManager };
}

/** A logger that appends each line it logs to `lines`, parsed. */
function capturingLogger(lines: Array<Record<string, unknown>>): winston.Logger {
  return winston.createLogger({
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream: new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }) })],
  });
}

let nextConnection = 100;

/** Registers task `taskId` of `container` on a new instance connection; returns the connection id and the response. */
function registerInstance(path: FakeDataPath, container: number, taskId: number, change: (r: stmgr.RegisterInstanceRequest) => void = () => undefined) {
  const expected = expectedInstancesOf(wordCountPackingPlan(TOPOLOGY_ID), container).find((i) => i.info.taskId === taskId)!;
  const request = stmgr.RegisterInstanceRequest.create({ instance: expected ?? instanceFor(container, taskId), topologyName: 'wc', topologyId: TOPOLOGY_ID });
  change(request);
  const connection = nextConnection++;
  const requestId = path.control({ id: connection, kind: 'instance' }, MessageTypes.REGISTER_INSTANCE_REQUEST, stmgr.RegisterInstanceRequest.encode(request).finish());
  const frame = path.sentTo(connection, MessageTypes.REGISTER_INSTANCE_RESPONSE).at(-1);
  assert.ok(frame, 'a response');
  assert.deepEqual(frame.requestId, requestId, 'the response echoes the request id');
  return { connection, response: stmgr.RegisterInstanceResponse.decode(frame.payload) };
}

function instanceFor(container: number, taskId: number): system.Instance {
  return system.Instance.create({ instanceId: instanceIdOf(container, 'words', taskId), stmgrId: `stmgr-${container}`, info: { taskId, componentIndex: 0, componentName: 'words' } });
}

function assignments(path: FakeDataPath, connection: number): system.PhysicalPlan[] {
  return path.sentTo(connection, MessageTypes.NEW_INSTANCE_ASSIGNMENT).map((f) => system.PhysicalPlan.create(stmgr.NewInstanceAssignmentMessage.decode(f.payload).pplan));
}

describe('StreamManager (control plane, fake data path)', () => {
  it('starts its data path with the endpoint, the runtime keys and the peer hello', async () => {
    const { startStMgr } = await world();
    const { manager, path } = await startStMgr(2);
    assert.equal(path.started, true);
    assert.deepEqual(path.options, {
      localEndpoint: `unix-abstract:egret/${TOPOLOGY_ID}/stmgr-2`,
      dataHost: '127.0.0.1',
      dataPort: 0,
      maxFrameBytes: 10 * 1024 * 1024,
      batchMaxBytes: 256 * 1024,
      drainIntervalMs: 0.5,
      topologyName: 'wc',
      topologyId: TOPOLOGY_ID,
      backPressureHighBytes: 16 * 1024 * 1024,
      backPressureLowBytes: 8 * 1024 * 1024,
    });
    assert.equal(manager.port, 7002);
    assert.equal(path.peerHello?.frame.messageType, MessageTypes.STMGR_HELLO_REQUEST);
    assert.deepEqual(stmgr.StrMgrHelloRequest.toObject(stmgr.StrMgrHelloRequest.decode(path.peerHello!.frame.payload)), { topologyName: 'wc', topologyId: TOPOLOGY_ID, stmgr: 'stmgr-2' });
    assert.equal(path.peerHello?.reconnectIntervalMs, 50);
    await manager.stop();
    assert.equal(path.closed, true);
  });

  it('accepts its container’s instances and refuses unknown tasks, wrong topologies, mismatched records and duplicates', async () => {
    const { startStMgr } = await world();
    const { path } = await startStMgr(1);
    const first = registerInstance(path, 1, 3);
    assert.equal(first.response.status.status, system.StatusCode.OK);
    assert.equal(first.response.pplan, null, 'no plan known yet');
    assert.equal(path.attachedTasks.get(first.connection), 3);

    const refusals = [
      registerInstance(path, 2, 2, (r) => (r.instance = instanceFor(1, 2))),
      registerInstance(path, 1, 1, (r) => (r.topologyId = 'wc-0')),
      registerInstance(path, 1, 1, (r) => (r.instance.info.componentIndex = 5)),
      registerInstance(path, 1, 3),
    ];
    assert.deepEqual(
      refusals.map((r) => r.response.status.status),
      [system.StatusCode.NOTOK, system.StatusCode.NOTOK, system.StatusCode.NOTOK, system.StatusCode.NOTOK],
    );
    assert.match(refusals[0]!.response.status.message ?? '', /task 2 \(container_1_words_2\) is not a task of stmgr-1 \(its tasks: 1, 3, 5\)/);
    assert.match(refusals[1]!.response.status.message ?? '', /belongs to topology 'wc' \(id wc-0\)/);
    assert.match(refusals[2]!.response.status.message ?? '', /index 5; the packing plan has container_1_words_1 .* index 0/);
    assert.match(refusals[3]!.response.status.message ?? '', /task 3 \(container_1_counter_3\) is already registered on another live connection/);
    assert.equal(path.attachedTasks.size, 1, 'refused connections are not attached; the first keeps the task');

    path.emit({ type: 'closed', connection: { id: first.connection, kind: 'instance', taskId: 3 }, reason: 'peer closed' });
    assert.equal(registerInstance(path, 1, 3).response.status.status, system.StatusCode.OK, 'a task whose connection closed may register again');
  });

  it('registers with the topology manager once every local instance has, applies the plan, and tells every instance', async () => {
    const { startStMgr, startTManager } = await world();
    const tmanager = await startTManager();
    const sm1 = await startStMgr(1);
    const sm2 = await startStMgr(2);
    const c1 = [registerInstance(sm1.path, 1, 1), registerInstance(sm1.path, 1, 3)];
    const c2 = [registerInstance(sm2.path, 2, 2), registerInstance(sm2.path, 2, 4)];
    await waitUntil('stmgr-2 to register', () => tmanager.absent().every((a) => a.id !== 'stmgr-2'), SOON_MS);
    assert.deepEqual(tmanager.absent(), [{ id: 'stmgr-1', reason: 'not registered' }], 'stmgr-1 waits for its last instance');
    c1.push(registerInstance(sm1.path, 1, 5));
    await waitUntil('both to apply a plan', () => sm1.path.routings.length > 0 && sm2.path.routings.length > 0, SOON_MS);

    const routing = sm1.path.routings[0]!;
    assert.equal(routing.stmgrId, 'stmgr-1');
    assert.deepEqual(routing.peers, [{ stmgrId: 'stmgr-2', host: '127.0.0.1', port: 7002 }]);
    assert.deepEqual(
      routing.tasks.map((t) => `${t.taskId}:${t.component}:${t.stmgrId}`),
      ['1:words:stmgr-1', '2:words:stmgr-2', '3:counter:stmgr-1', '4:counter:stmgr-2', '5:sink:stmgr-1'],
    );
    for (const { connection } of c1) assert.equal(assignments(sm1.path, connection).length, 1, `connection ${connection} got the plan`);
    for (const { connection } of c2) assert.equal(assignments(sm2.path, connection).length, 1);
    const plan = assignments(sm1.path, c1[0]!.connection)[0]!;
    assert.deepEqual(
      plan.stmgrs.map((s) => [s.id, s.dataPort, s.localEndpoint, s.pid]),
      [
        ['stmgr-1', 7001, `unix-abstract:egret/${TOPOLOGY_ID}/stmgr-1`, process.pid],
        ['stmgr-2', 7002, `unix-abstract:egret/${TOPOLOGY_ID}/stmgr-2`, process.pid],
      ],
    );

    sm1.path.emit({ type: 'closed', connection: { id: c1[0]!.connection, kind: 'instance', taskId: 1 }, reason: 'instance died' });
    const back = registerInstance(sm1.path, 1, 1);
    assert.equal(back.response.pplan?.topology.id, TOPOLOGY_ID, 'a registration answers with the plan once known');
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(sm1.path.routings.length, 1, 'an instance coming back does not make the stream manager register again');
  });

  it('connects as soon as the topology manager’s location appears, not at the next retry, when it was ready before', async () => {
    // A retry interval far beyond the deadline: only the location's arrival can make the registration in time.
    const { startStMgr, startTManager } = await world({ 'egret.stmgr.reconnect.interval.ms': 600_000 });
    const lines: Array<Record<string, unknown>> = [];
    const sm2 = await startStMgr(2, { logger: capturingLogger(lines) });
    [2, 4].map((t) => registerInstance(sm2.path, 2, t));
    // Ready, it looked for the topology manager, found none and scheduled its retry.
    await waitUntil('stmgr-2 to look for the topology manager', () => lines.some((l) => l['message'] === 'waiting for the topology manager location'), SOON_MS);
    const tmanager = await startTManager();
    await waitUntil('stmgr-2 to register', () => tmanager.absent().every((a) => a.id !== 'stmgr-2'), SOON_MS);
  });

  it('follows a deactivation, and a restarted topology manager', async () => {
    const { state, startStMgr, startTManager } = await world();
    const first = await startTManager();
    const sm1 = await startStMgr(1);
    const sm2 = await startStMgr(2);
    const conns = [1, 3, 5].map((t) => registerInstance(sm1.path, 1, t).connection);
    [2, 4].map((t) => registerInstance(sm2.path, 2, t));
    await waitUntil('a plan', () => sm1.path.routings.length === 1, SOON_MS);
    const response = await fetch(`http://127.0.0.1:${first.location.controllerPort}/deactivate?topologyid=${TOPOLOGY_ID}`);
    assert.equal(response.status, 200);
    await waitUntil('the paused plan', () => sm1.path.routings.length === 2, SOON_MS);
    for (const connection of conns) assert.deepEqual(assignments(sm1.path, connection).map((p) => p.topology.state), [heron.proto.api.TopologyState.RUNNING, heron.proto.api.TopologyState.PAUSED]);

    await first.stop();
    // What closing its state manager would do: the location goes with the process.
    await state.delete('tmanagers', 'wc');
    const second = await startTManager();
    assert.notEqual(second.location.serverPort, first.location.serverPort);
    await waitUntil('both stream managers to register with the new topology manager', () => sm1.path.routings.length === 3 && sm2.path.routings.length === 3, SOON_MS);
    assert.equal(assignments(sm1.path, conns[0]!).at(-1)?.topology.state, heron.proto.api.TopologyState.PAUSED, 'the restarted topology manager keeps the state');
  });

  it('keeps its registration alive with heartbeats', async () => {
    const { startStMgr, startTManager } = await world({ 'egret.tmanager.stmgr.timeout.ms': 400 });
    const tmanager = await startTManager();
    const sm1 = await startStMgr(1);
    const sm2 = await startStMgr(2);
    [1, 3, 5].map((t) => registerInstance(sm1.path, 1, t));
    [2, 4].map((t) => registerInstance(sm2.path, 2, t));
    await waitUntil('a plan', () => sm1.path.routings.length === 1, SOON_MS);
    // Three timeouts long: without heartbeats the topology manager would drop both, and a re-registration republish.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.deepEqual(tmanager.absent(), []);
    assert.equal(sm1.path.routings.length, 1);
  });

  it('answers peer hellos: attaches a peer of the topology, refuses others, closes on garbage', async () => {
    const { startStMgr } = await world();
    const { path } = await startStMgr(1);
    const hello = (stmgrId: string, topologyId = TOPOLOGY_ID) => stmgr.StrMgrHelloRequest.encode({ topologyName: 'wc', topologyId, stmgr: stmgrId }).finish();
    const answer = (connection: number) => stmgr.StrMgrHelloResponse.decode(path.sentTo(connection, MessageTypes.STMGR_HELLO_RESPONSE).at(-1)!.payload).status;
    path.control({ id: 1, kind: 'peer-in' }, MessageTypes.STMGR_HELLO_REQUEST, hello('stmgr-2'));
    assert.equal(answer(1).status, system.StatusCode.OK);
    assert.equal(path.attachedPeers.get(1), 'stmgr-2');
    path.control({ id: 2, kind: 'peer-in' }, MessageTypes.STMGR_HELLO_REQUEST, hello('stmgr-9'));
    assert.match(answer(2).message ?? '', /stmgr-9, which is not a stream manager of this topology/);
    path.control({ id: 3, kind: 'peer-in' }, MessageTypes.STMGR_HELLO_REQUEST, hello('stmgr-2', 'other'));
    assert.match(answer(3).message ?? '', /of topology 'wc' \(id other\)/);
    path.control({ id: 4, kind: 'peer-in' }, MessageTypes.STMGR_HELLO_REQUEST, hello('stmgr-1'));
    assert.match(answer(4).message ?? '', /this stream manager's own id/);
    assert.equal(path.attachedPeers.size, 1);

    path.control({ id: 5, kind: 'peer-in' }, MessageTypes.STMGR_HELLO_REQUEST, Buffer.from([0xff, 0xff, 0xff]));
    path.control({ id: 6, kind: 'instance' }, MessageTypes.STMGR_HELLO_REQUEST, hello('stmgr-2'));
    path.control({ id: 7, kind: 'peer-in' }, 'heron.proto.system.Nonsense', Buffer.alloc(0));
    assert.deepEqual(
      path.closedConnections.map((c) => [c.id, c.reason.replace(/: .*/, '')]),
      [
        [5, 'heron.proto.stmgr.StrMgrHelloRequest does not decode'],
        [6, 'unexpected heron.proto.stmgr.StrMgrHelloRequest on an instance connection'],
        [7, 'unexpected heron.proto.system.Nonsense on a peer-in connection'],
      ],
    );
  });

  it('follows a new packing plan: drops tasks no longer in its container and registers its new set', async () => {
    const { state, startStMgr, startTManager } = await world();
    const tmanager = await startTManager();
    const sm1 = await startStMgr(1);
    const sm2 = await startStMgr(2);
    const c1 = [1, 3, 5].map((t) => registerInstance(sm1.path, 1, t).connection);
    [2, 4].map((t) => registerInstance(sm2.path, 2, t));
    await waitUntil('a plan', () => sm1.path.routings.length === 1, SOON_MS);
    // Task 5 moves to container 2.
    const next = packingPlanOf(TOPOLOGY_ID, { 1: [['words', 1, 0], ['counter', 3, 0]], 2: [['words', 2, 1], ['counter', 4, 1], ['sink', 5, 0]] });
    await state.set('packingplans', 'wc', packingPlanToProto(next));
    await waitUntil('stmgr-1 to drop task 5', () => sm1.path.closedConnections.some((c) => c.id === c1[2]), SOON_MS);
    const moved = registerInstance(sm2.path, 2, 5, (r) => (r.instance = expectedInstancesOf(next, 2).find((i) => i.info.taskId === 5)!));
    assert.equal(moved.response.status.status, system.StatusCode.OK);
    // The plan stmgr-2 holds puts task 5 on stmgr-1: no assignment for the moved instance (it would leave on it).
    assert.equal(moved.response.pplan, null, 'no plan in the answer until one puts task 5 here');
    await waitUntil('a plan with task 5 on stmgr-2', () => sm1.path.routings.at(-1)?.tasks.find((t) => t.taskId === 5)?.stmgrId === 'stmgr-2', SOON_MS);
    await waitUntil('stmgr-2 to apply it', () => sm2.path.routings.at(-1)?.tasks.find((t) => t.taskId === 5)?.stmgrId === 'stmgr-2', SOON_MS);
    const told = assignments(sm2.path, moved.connection);
    assert.equal(told.length, 1, 'the moved instance is told once, by the plan that has it here');
    assert.equal(told[0]!.instances.find((i) => i.info.taskId === 5)?.stmgrId, 'stmgr-2');
    assert.deepEqual(tmanager.absent(), []);
  });

  it('publishes its metrics as __stmgr__ every interval, and logs back pressure with its cause and since when', async () => {
    const { startStMgr } = await world({ 'egret.metrics.interval.ms': 20 });
    const published: Array<ReadonlyMap<string, number | string>> = [];
    const publishers: Array<{ endpoint: string; identity: unknown }> = [];
    const lines: Array<Record<string, unknown>> = [];
    const capture = capturingLogger(lines);
    const { path } = await startStMgr(1, {
      logger: capture,
      createMetricsPublisher: (endpoint, identity) => {
        publishers.push({ endpoint, identity });
        return { connected: true, publish: (metrics) => published.push(metrics), close: () => undefined };
      },
    });
    assert.deepEqual(publishers, [{ endpoint: `unix-abstract:egret/${TOPOLOGY_ID}/metricsmgr-1`, identity: { component: '__stmgr__', instanceId: 'stmgr-1', instanceIndex: 0 } }]);
    await waitUntil('two publishes', () => published.length >= 2, SOON_MS);
    assert.equal(published[0]!.get('__back-pressure'), 0);
    assert.equal(published[0]!.get('__time_spent_back_pressure_initiated'), 0);

    const since = Date.UTC(2026, 0, 2, 3, 4, 5);
    const cause = { kind: 'instance', taskId: 3, connection: 12, since, queuedBytes: 17_000_000 } as const;
    path.emit({ type: 'back-pressure', change: 'start', cause });
    path.emit({ type: 'back-pressure', change: 'stop', cause: { ...cause, queuedBytes: 10 }, durationMs: 1500 });
    path.emit({ type: 'peer-back-pressure', change: 'start', stmgrId: 'stmgr-2', connection: 4, since, detail: 'abc' });
    await waitUntil('the three log lines', () => lines.filter((l) => /back pressure/.test(String(l.message))).length === 3, SOON_MS);
    const started = lines.find((l) => typeof l.message === 'string' && l.message.startsWith('back pressure started'));
    assert.equal(started?.level, 'warn');
    assert.equal(started?.cause, 'instance container_1_counter_3 (task 3)');
    assert.equal(started?.since, '2026-01-02T03:04:05.000Z');
    const stopped = lines.find((l) => typeof l.message === 'string' && l.message.startsWith('back pressure stopped'));
    assert.equal(stopped?.durationMs, 1500);
    assert.ok(lines.some((l) => l.message === 'a peer announced back pressure; local spouts paused' && l.peer === 'stmgr-2'));
  });
});
