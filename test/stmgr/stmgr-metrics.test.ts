import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, describe, it } from 'node:test';
import { metricsManagerEndpoint } from '../../runtime/common/local-endpoint.js';
import { waitUntil } from '../helpers/runtime-processes.js';
import { closeRuntimeTestStates } from '../helpers/runtime-test-package.js';
import { FakeMetricsManager } from './fake-metrics-manager.js';
import { PROMPTLY_MS, StMgrHarness } from './stmgr-harness.js';

const harness = new StMgrHarness();
const managers: FakeMetricsManager[] = [];
afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.close();
  await harness.cleanUp();
});
after(() => closeRuntimeTestStates());

const KiB = 1024;

describe('egret-stmgr metrics and back pressure (real processes, fake instances and metrics managers)', () => {
  it('publishes its counters to its container’s metrics manager as __stmgr__, and logs and publishes back pressure naming the slow instance', async () => {
    const cluster = await harness.start({
      config: { 'egret.metrics.interval.ms': 200, 'egret.stmgr.backpressure.high.bytes': 256 * KiB, 'egret.stmgr.backpressure.low.bytes': 64 * KiB },
    });
    const metrics1 = await FakeMetricsManager.listen(metricsManagerEndpoint(cluster.topology.id, 1));
    managers.push(metrics1, await FakeMetricsManager.listen(metricsManagerEndpoint(cluster.topology.id, 2)));
    const instances = await cluster.registerAll();
    await waitUntil('the plan at every instance', () => [...instances.values()].every((i) => i.assignments.length > 0), PROMPTLY_MS);

    // Words from both spouts reach both counters (fields grouping on the word).
    const words = (n: number) => Array.from({ length: n }, () => [Buffer.from(`w-${randomBytes(6).toString('hex')}`), Buffer.from('1')]);
    instances.get(1)!.emit('default', words(200));
    instances.get(2)!.emit('default', words(200));
    await waitUntil('every word at a counter', () => instances.get(3)!.received.length + instances.get(4)!.received.length === 400, PROMPTLY_MS);
    await waitUntil('the counts in published metrics', () => metrics1.total('__connection-tuples-in/container_1_words_1') === 200 && metrics1.total('__connection-tuples-in/stmgr-2') > 0, PROMPTLY_MS);
    const { publisher } = metrics1.received[0]!;
    assert.deepEqual(publisher, { component: '__stmgr__', instanceId: 'stmgr-1', instanceIndex: 0 });
    assert.equal(metrics1.total('__connection-tuples-out/container_1_counter_3'), instances.get(3)!.received.length);
    assert.ok(metrics1.total('__connection-bytes-in/container_1_words_1') > 200 * 20);
    assert.equal(metrics1.last('__back-pressure'), 0);
    assert.equal(metrics1.total('__tuples-dropped/destination-unreachable'), 0);

    // Counter 3 stops reading: its queue passes the high water mark.
    const stmgr1 = cluster.stmgrs.get(1)!;
    const from = stmgr1.logs.length;
    instances.get(3)!.pause();
    const spout = instances.get(1)!;
    const stalled = await (async () => {
      for (let round = 0; round < 400; round++) {
        spout.emit('default', words(500));
        const line = stmgr1.logs.slice(from).find((l) => l.message.startsWith('back pressure started'));
        if (line) return line;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return stmgr1.waitForLog('back pressure started', (l) => l.message.startsWith('back pressure started'), PROMPTLY_MS, from);
    })();
    assert.equal(stalled.cause, 'instance container_1_counter_3 (task 3)');
    assert.equal(stalled.level, 'warn');
    assert.ok(Number.isFinite(Date.parse(String(stalled.since))));
    await cluster.stmgrs.get(2)!.waitForLog('stmgr-2 to hear it', (l) => l.message === 'a peer announced back pressure; local spouts paused' && l.peer === 'stmgr-1', PROMPTLY_MS);
    await waitUntil('__back-pressure 1 published', () => metrics1.last('__back-pressure') === 1, PROMPTLY_MS);

    instances.get(3)!.resume();
    const stopped = await stmgr1.waitForLog('back pressure stopped', (l) => l.message.startsWith('back pressure stopped'), PROMPTLY_MS, from);
    assert.equal(stopped.cause, 'instance container_1_counter_3 (task 3)');
    await waitUntil('__back-pressure 0 again', () => metrics1.last('__back-pressure') === 0, PROMPTLY_MS);
    const byInstance = metrics1.total('__time_spent_back_pressure_by_compid/container_1_counter_3');
    assert.ok(byInstance > 0, 'time in back pressure is published by instance');
    assert.ok(metrics1.total('__time_spent_back_pressure_initiated') >= byInstance - 1);
  });
});
