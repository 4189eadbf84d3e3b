import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import { heron } from '../../core/proto/index.js';
import { FramedSocket } from '../../runtime/common/framed-socket.js';
import { MessageTypes } from '../../runtime/common/message-types.js';
import { expectedInstancesOf } from '../../runtime/common/runtime-ids.js';
import { waitUntil } from '../helpers/runtime-processes.js';
import { closeRuntimeTestStates } from '../helpers/runtime-test-package.js';
import { PROMPTLY_MS, TManagerHarness } from './tmanager-harness.js';

import tmanager = heron.proto.tmanager;

const harness = new TManagerHarness();
const sockets: FramedSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close('test done');
  await harness.cleanUp();
});
after(() => closeRuntimeTestStates());

const PUBLISH_METRICS = 'heron.proto.tmanager.PublishMetrics';

/** A connection to the topology manager's server port that remembers why it closed. */
async function connection(port: number): Promise<{ socket: FramedSocket; closed: () => string | undefined }> {
  const raw = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    raw.once('connect', resolve);
    raw.once('error', reject);
  });
  let reason: string | undefined;
  const socket = new FramedSocket(raw, 16 * 1024 * 1024, { onFrame: () => undefined, onClose: (r) => (reason = r) });
  sockets.push(socket);
  return { socket, closed: () => reason };
}

function metrics(datums: ReadonlyArray<readonly [string, string, string, number]>, exceptions: tmanager.TmanagerExceptionLog.$Properties[] = []): Uint8Array {
  return tmanager.PublishMetrics.encode({
    metrics: datums.map(([componentName, instanceId, name, value]) => ({ componentName, instanceId, name, value: String(value), timestamp: Date.now() })),
    exceptions,
  }).finish();
}

describe('egret-tmanager’s metrics cache', () => {
  it('takes PublishMetrics from metrics managers on its server port and serves /metrics and /exceptions as JSON', async () => {
    const setup = await harness.start();
    const a = await connection(setup.location.serverPort);
    const b = await connection(setup.location.serverPort);
    a.socket.send(PUBLISH_METRICS, metrics([['words', 'container_1_words_1', '__emit-count/default', 70], ['counter', 'container_1_counter_3', '__execute-count/words/default', 60], ['counter', 'container_1_counter_3', '__restarts', 1]]));
    b.socket.send(
      PUBLISH_METRICS,
      metrics(
        [['words', 'container_2_words_2', '__emit-count/default', 30], ['__stmgr__', 'stmgr-2', '__time_spent_back_pressure_by_compid/container_2_counter_4', 1200], ['__stmgr__', 'stmgr-2', '__back-pressure', 1]],
        [{ componentName: 'counter', hostname: 'h2', instanceId: 'container_2_counter_4', stacktrace: 'Error: no\n  at f', firsttime: 'f', lasttime: 'l', count: 3, logging: 'no' }],
      ),
    );
    const body = await waitUntil(
      'both metrics managers’ data',
      async () => {
        const { status, body } = await setup.controller('/metrics');
        assert.equal(status, 200);
        const components = body['components'] as Record<string, { emitted: number }>;
        return components['words']?.emitted === 100 && (body['stmgrs'] as Record<string, unknown>)['stmgr-2'] ? body : undefined;
      },
      PROMPTLY_MS,
    );
    const components = body['components'] as Record<string, { emitted: number; executed: number; instances: Record<string, { emitted: number; restarts: number }> }>;
    assert.deepEqual([body['topology'], body['topologyId'], body['intervalSeconds']], ['wc', setup.pkg.topologyId, null]);
    assert.deepEqual(Object.keys(components['words']!.instances).sort(), ['container_1_words_1', 'container_2_words_2']);
    assert.equal(components['words']!.instances['container_2_words_2']?.emitted, 30);
    assert.equal(components['counter']!.executed, 60);
    assert.equal(components['counter']!.instances['container_1_counter_3']?.restarts, 1);
    assert.deepEqual((body['stmgrs'] as Record<string, Record<string, unknown>>)['stmgr-2'], {
      tuplesIn: 0,
      tuplesOut: 0,
      bytesIn: 0,
      bytesOut: 0,
      dropped: 0,
      backPressure: true,
      backPressureMs: 0,
      causes: { container_2_counter_4: 1200 },
      active: {},
      peersAnnouncing: {},
      spoutsPaused: false,
      pausedByOthersMs: 0,
      restarts: 0,
      lastReportMs: (body['stmgrs'] as Record<string, Record<string, unknown>>)['stmgr-2']?.['lastReportMs'],
    });

    const recent = await setup.controller('/metrics?interval=60');
    assert.equal(recent.body['intervalSeconds'], 60);
    assert.equal((recent.body['components'] as Record<string, { emitted: number }>)['words']?.emitted, 100);
    assert.equal((await setup.controller('/metrics?interval=soon')).status, 400);
    assert.equal((await setup.controller('/metrics', 'POST')).status, 405);

    const exceptions = await setup.controller('/exceptions');
    assert.deepEqual(exceptions.body, [{ component: 'counter', instance: 'container_2_counter_4', task: 4, hostname: 'h2', message: 'no', stacktrace: 'Error: no\n  at f', count: 3, firstTime: 'f', lastTime: 'l' }]);
    assert.deepEqual((await setup.controller('/exceptions?component=words')).body, []);
    assert.equal(a.closed(), undefined, 'metrics connections stay open');
  });

  it('keeps metrics managers and stream managers apart: a connection that switches kind is closed, the others go on', async () => {
    const setup = await harness.start();
    const metricsFirst = await connection(setup.location.serverPort);
    metricsFirst.socket.send(PUBLISH_METRICS, metrics([['words', 'container_1_words_1', '__emit-count/default', 1]]));
    metricsFirst.socket.send(MessageTypes.STMGR_HEARTBEAT_REQUEST, tmanager.StMgrHeartbeatRequest.encode({ heartbeatTime: 1, stats: {} }).finish(), randomBytes(32));
    assert.match(await waitUntil('the switch to be refused', metricsFirst.closed, PROMPTLY_MS), /closed by the other end/);

    const stmgrFirst = await connection(setup.location.serverPort);
    const register = tmanager.StMgrRegisterRequest.encode({
      stmgr: { id: 'stmgr-1', hostName: '127.0.0.1', dataPort: 40001, localEndpoint: 'unix-abstract:x', cwd: '/', pid: process.pid },
      instances: expectedInstancesOf(setup.plan, 1),
    }).finish();
    stmgrFirst.socket.send(MessageTypes.STMGR_REGISTER_REQUEST, register, randomBytes(32));
    stmgrFirst.socket.send(PUBLISH_METRICS, metrics([]));
    await waitUntil('the stream manager that sent metrics to be closed', stmgrFirst.closed, PROMPTLY_MS);
    const why = (message: string) => setup.tmanager.waitForLog(message, (l) => l.message === message, PROMPTLY_MS).then((l) => l['reason']);
    assert.equal(await why('metrics manager disconnected'), "heron.proto.tmanager.StMgrHeartbeatRequest on a metrics manager's connection");
    assert.equal(await why('stream manager disconnected; waiting for it to register again'), "heron.proto.tmanager.PublishMetrics on a stream manager's connection");

    const good = await connection(setup.location.serverPort);
    good.socket.send(PUBLISH_METRICS, metrics([['words', 'container_1_words_1', '__emit-count/default', 2]]));
    await waitUntil('the next metrics', async () => ((await setup.controller('/metrics')).body['components'] as Record<string, { emitted: number }>)['words']?.emitted === 3, PROMPTLY_MS);
  });
});
