import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, afterEach, describe, it } from 'node:test';
import { ProtoTManagerLocation } from '../../core/proto/index.js';
import { waitUntil } from '../helpers/runtime-processes.js';
import { closeRuntimeTestStates } from '../helpers/runtime-test-package.js';
import { TManagerHarness } from '../tmanager/tmanager-harness.js';
import { FakeTManager } from './fake-tmanager.js';
import { MetricsManagerHarness, PROMPTLY_MS } from './metricsmgr-harness.js';

const harness = new MetricsManagerHarness();
const tmanagers = new TManagerHarness();
const fakes: FakeTManager[] = [];
afterEach(async () => {
  await harness.cleanUp();
  await tmanagers.cleanUp();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});
after(() => closeRuntimeTestStates());

const TO_TMANAGER = { 'egret.metrics.interval.ms': 200, 'egret.metricsmgr.sinks': ['tmanager'], 'egret.stmgr.reconnect.interval.ms': 100 };
const WORDS = { component: 'words', instanceId: 'container_1_words_1', instanceIndex: 0 };

async function fakeTManager(): Promise<FakeTManager> {
  const fake = await FakeTManager.start();
  fakes.push(fake);
  return fake;
}

describe('egret-metricsmgr forwarding to the topology manager', () => {
  it('sends PublishMetrics to where tmanagers/<topology> points, with components, instances, timestamps and exceptions; follows a move and reconnects', async () => {
    const pkg = await harness.writePackage(TO_TMANAGER);
    const state = await pkg.openState();
    const first = await fakeTManager();
    const location = (port: number) => ProtoTManagerLocation.create({ topologyName: 'wc', topologyId: pkg.topologyId, host: '127.0.0.1', serverPort: port, controllerPort: 1 });
    await state.set('tmanagers', 'wc', location(first.port));
    const mm = await harness.start(pkg, 1);
    const words = await mm.publisher(WORDS);
    const before = Date.now();
    words.publish({ '__emit-count/default': 12, '__out-queue-depth': 3 }, [{ stacktrace: 'Error: bad word\n    at execute', firstTime: '2026-01-01T00:00:00Z', lastTime: '2026-01-01T00:00:05Z', count: 4, logging: 'bad word' }]);

    const message = await waitUntil('PublishMetrics at the first topology manager', () => first.received.find((m) => m.metrics.length > 0), PROMPTLY_MS);
    const emitted = message.metrics.find((d) => d.name === '__emit-count/default');
    assert.deepEqual([emitted?.componentName, emitted?.instanceId, emitted?.value], ['words', 'container_1_words_1', '12']);
    const at = Number(emitted?.timestamp);
    assert.ok(at >= before && at <= Date.now(), `timestamp ${at} is when it arrived`);
    assert.equal(message.metrics.find((d) => d.name === '__out-queue-depth')?.value, '3');
    assert.deepEqual({ ...message.exceptions[0] }, {
      componentName: 'words',
      hostname: hostname(),
      instanceId: 'container_1_words_1',
      stacktrace: 'Error: bad word\n    at execute',
      firsttime: '2026-01-01T00:00:00Z',
      lasttime: '2026-01-01T00:00:05Z',
      count: 4,
      logging: 'bad word',
    });

    const second = await fakeTManager();
    await state.set('tmanagers', 'wc', location(second.port));
    await waitUntil('the move to the second topology manager', () => second.open === 1 && first.open === 0, PROMPTLY_MS);
    words.publish({ '__emit-count/default': 5 });
    await waitUntil('the increase at the second', () => second.datums().some((d) => d.name === '__emit-count/default' && d.value === '5'), PROMPTLY_MS);

    second.dropConnections();
    await waitUntil('a reconnection', () => second.accepted === 2 && second.open === 1, PROMPTLY_MS);
    words.publish({ '__emit-count/default': 6 });
    await waitUntil('the increase after the reconnection', () => second.datums().some((d) => d.name === '__emit-count/default' && d.value === '6'), PROMPTLY_MS);
    const sent = first.datums().concat(second.datums()).filter((d) => d.name === '__emit-count/default');
    assert.equal(sent.reduce((sum, d) => sum + Number(d.value), 0), 23, 'each increase sent once');
  });

  it('feeds the real topology manager’s cache: /metrics and /exceptions show what the publishers sent', async () => {
    const setup = await tmanagers.start({ config: TO_TMANAGER });
    const mm = await harness.start(setup.pkg, 1);
    const words = await mm.publisher(WORDS);
    const counter = await mm.publisher({ component: 'counter', instanceId: 'container_1_counter_3', instanceIndex: 0 });
    const stmgr = await mm.publisher({ component: '__stmgr__', instanceId: 'stmgr-1', instanceIndex: 0 });
    words.publish({ '__emit-count/default': 100, '__ack-count/default': 50, '__complete-latency/default': 4 });
    words.publish({ '__emit-count/default': 20, '__ack-count/default': 50, '__complete-latency/default': 8 });
    counter.publish({ '__execute-count/words/default': 90, '__execute-latency/words/default': 0.5 }, [{ stacktrace: 'Error: x', firstTime: 'a', lastTime: 'b', count: 2, logging: 'x' }]);
    stmgr.publish({ '__connection-tuples-in/container_1_words_1': 120, '__back-pressure': 0 });

    const metrics = await waitUntil(
      'the cache to hold every publish',
      async () => {
        const { body } = await setup.controller('/metrics');
        const components = body['components'] as Record<string, Record<string, unknown>> | undefined;
        const stmgrs = body['stmgrs'] as Record<string, Record<string, unknown>> | undefined;
        return components?.['words']?.['emitted'] === 120 && components['counter'] && stmgrs?.['stmgr-1'] ? body : undefined;
      },
      PROMPTLY_MS,
    );
    const components = metrics['components'] as Record<string, Record<string, unknown>>;
    assert.equal(metrics['topology'], 'wc');
    assert.equal(components['words']?.['acked'], 100);
    assert.equal(components['words']?.['completeLatencyMs'], 6, 'weighted by the acks of each interval (50 and 50), whether or not they came in one message');
    assert.equal(components['counter']?.['executed'], 90);
    assert.equal((components['counter']?.['instances'] as Record<string, Record<string, unknown>>)['container_1_counter_3']?.['executeLatencyMs'], 0.5);
    assert.equal((metrics['stmgrs'] as Record<string, Record<string, unknown>>)['stmgr-1']?.['tuplesIn'], 120);
    const exceptions = await setup.controller('/exceptions');
    assert.deepEqual(exceptions.body, [{ component: 'counter', instance: 'container_1_counter_3', task: 3, hostname: hostname(), message: 'x', stacktrace: 'Error: x', count: 2, firstTime: 'a', lastTime: 'b' }]);
  });
});
