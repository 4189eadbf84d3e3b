import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ConfigValue } from '../../api/config-value.js';
import { FakeMetricsManager } from '../helpers/fake-metrics-manager.js';
import { FakeStmgr, type Root } from '../helpers/fake-stmgr.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildInstancePackage, startInstance, type StartInstanceOptions } from './instance-harness.js';
import { TEST_TOPOLOGY_SOURCE } from './test-topology.js';

/** A fake stream manager and metrics manager for the test topology, publishing every 100 ms. */
async function setup(config: Record<string, ConfigValue> = {}) {
  const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, { 'egret.metrics.interval.ms': 100, ...config });
  const stmgr = await FakeStmgr.start({ topology: pkg.topology, topologyId: pkg.topologyId });
  after(() => stmgr.close());
  const metrics = await FakeMetricsManager.start(pkg.topologyId);
  after(() => metrics.close());
  const start = (component: 'numbers' | 'sink', options: Partial<StartInstanceOptions> = {}) =>
    startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task: component === 'numbers' ? stmgr.task('numbers') : stmgr.task('sink', 1), ...options });
  return { stmgr, metrics, start };
}

const spout = { taskId: 1, component: 'numbers' };

describe('egret-instance metrics', () => {
  it("registers with the container's metrics manager and publishes a spout's counts, complete latency and gauges", async () => {
    const { stmgr, metrics, start } = await setup({ 'topology.reliability.mode': 'ATLEAST_ONCE', 'test.spout.mode': 'tracked', 'test.spout.limit': 30 });
    start('numbers', { env: { EGRET_RESTART_COUNT: '3' } });
    await waitFor('20 tracked tuples', () => stmgr.tuplesOn('tracked').length === 20, 15_000);
    const tracked = stmgr.tuplesOn('tracked');
    stmgr.sendCompletions(1, { acks: tracked.slice(0, 15).map((t) => t.roots[0] as Root), fails: tracked.slice(15).map((t) => t.roots[0] as Root) });
    await waitFor('the acks and fails published', () => metrics.total('__ack-count/tracked') === 15 && metrics.total('__fail-count/tracked') === 5, 10_000);
    const [registration] = metrics.registrations;
    assert.deepEqual([registration?.componentName, registration?.instanceId, registration?.instanceIndex, registration?.port], ['numbers', 'container_1_numbers_1', 0, 0]);
    assert.equal(metrics.total('__emit-count/tracked'), 20);
    assert.equal(metrics.total('__emit-count/default'), 10);
    const latest = metrics.published.at(-1)!.metrics;
    assert.equal(latest.get('__restarts'), 3);
    assert.equal(typeof latest.get('__in-queue-depth'), 'number');
    assert.equal(typeof latest.get('__out-queue-depth'), 'number');
    const withLatency = metrics.published.find((p) => p.metrics.has('__complete-latency/tracked'))!;
    const latency = withLatency.metrics.get('__complete-latency/tracked') as number;
    assert.ok(latency >= 0 && latency < 10_000, `complete latency ${latency} ms`);
    assert.equal(metrics.total('__complete-latency-count/tracked'), 15);
    assert.equal(metrics.exceptions.length, 0);
  });

  it("publishes a bolt's executes, acks and fails per input stream with their latencies, its emits, and every count by the end", async () => {
    const { stmgr, metrics, start } = await setup({ 'topology.reliability.mode': 'ATLEAST_ONCE' });
    const instance = start('sink');
    await waitFor('prepare', () => stmgr.tuplesOn('lifecycle').length > 0, 15_000);
    const root: Root = { task: 1, key: [5, 5] };
    stmgr.sendTrackedTuples(3, spout, [...Array.from({ length: 99 }, (_, i) => ({ values: [i], key: [i + 1, 0] as const, roots: [root] })), { values: ['fail-me'], key: [1000, 0], roots: [root] }]);
    stmgr.sendTuples(3, { ...spout, stream: 'direct' }, [[1], [2]]);
    await waitFor('101 tuples seen', () => stmgr.tuplesOn('seen').length === 101, 10_000);
    instance.child.kill('SIGTERM');
    assert.equal((await instance.waitForExit()).code, 0);
    // The last report goes out before a clean exit: the totals are exact.
    assert.equal(metrics.total('__execute-count/numbers/default'), 100);
    assert.equal(metrics.total('__ack-count/numbers/default'), 99);
    assert.equal(metrics.total('__fail-count/numbers/default'), 1);
    assert.equal(metrics.total('__execute-count/numbers/direct'), 2);
    assert.equal(metrics.total('__emit-count/seen'), 101);
    assert.equal(metrics.total('__execute-latency-count/numbers/default'), 100);
    assert.equal(metrics.total('__process-latency-count/numbers/default'), 100);
    const names = new Set(metrics.published.flatMap((p) => [...p.metrics.keys()]));
    for (const name of ['__execute-latency/numbers/default', '__process-latency/numbers/default', '__execute-count/numbers/custom', '__restarts']) assert.ok(names.has(name), name);
    assert.equal(metrics.published.at(-1)!.metrics.get('__restarts'), 0);
  });

  it('publishes errors user code reports, aggregated, and goes on', async () => {
    const { stmgr, metrics, start } = await setup();
    start('sink');
    await waitFor('prepare', () => stmgr.tuplesOn('lifecycle').length > 0, 15_000);
    stmgr.sendTuples(3, spout, [['report-me'], ['report-me'], ['report-me']]);
    await waitFor('the reported error', () => metrics.exceptions.length > 0, 10_000);
    const [error] = metrics.exceptions;
    assert.equal(error!.logging, 'reported by the bolt');
    assert.match(error!.stacktrace, /reported by the bolt\n\s+at EchoBolt\.execute/);
    assert.equal(metrics.exceptions.reduce((sum, e) => sum + e.count, 0), 3);
    stmgr.sendTuples(3, spout, [['after']]);
    await waitFor('the bolt going on', () => stmgr.tuplesOn('seen').length === 4, 10_000);
  });

  it('publishes an exception thrown by user code before the process exits non-zero', async () => {
    const { stmgr, metrics, start } = await setup();
    const instance = start('sink');
    await waitFor('prepare', () => stmgr.tuplesOn('lifecycle').length > 0, 15_000);
    stmgr.sendTuples(3, spout, [['fine'], ['boom']]);
    assert.equal((await instance.waitForExit()).code, 1);
    const published = metrics.exceptions.find((e) => /boom in execute/.test(e.logging));
    assert.ok(published, 'the exception is published');
    assert.equal(published.logging, "component 'sink' task 3: execute failed: boom in execute");
    assert.match(published.stacktrace, /boom in execute\n\s+at EchoBolt\.execute/);
    assert.equal(published.count, 1);
    assert.ok(instance.logs.some((l) => l.level === 'error' && l.message === published.logging && l['component'] === 'sink' && l['task'] === 3));
    assert.equal(metrics.total('__execute-count/numbers/default'), 2, 'the counts so far go out too');
  });

  it('publishes the exception of a spout that fails before the metrics manager is up, once it is', async () => {
    // It throws at its sixth number, about 1.5 s after it starts: after its first retry to reach the metrics manager.
    const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, { 'test.spout.mode': 'throw', 'test.spout.interval.ms': 300 });
    const stmgr = await FakeStmgr.start({ topology: pkg.topology, topologyId: pkg.topologyId });
    after(() => stmgr.close());
    const instance = startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task: stmgr.task('numbers') });
    // The instance tried once at start and found nothing; it retries every second, and a failure waits for that.
    await instance.waitForLog('the spout started', (l) => l.message === 'spout started');
    const metrics = await FakeMetricsManager.start(pkg.topologyId);
    after(() => metrics.close());
    assert.equal((await instance.waitForExit()).code, 1);
    assert.ok(
      metrics.exceptions.some((e) => /nextTuple failed: spout exploded at 5/.test(e.logging)),
      JSON.stringify(metrics.exceptions),
    );
  });
});
