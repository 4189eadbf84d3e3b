import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heron } from '../../core/proto/index.js';
import { MetricsStore, type PublisherInfo } from './metrics-store.js';

const words: PublisherInfo = { component: 'words', instanceId: 'container_1_words_1', instanceIndex: 0, hostname: 'h' };

function message(metrics: Record<string, string>, exceptions: heron.proto.system.ExceptionData.$Properties[] = []): heron.proto.system.MetricPublisherPublishMessage {
  return heron.proto.system.MetricPublisherPublishMessage.create({ metrics: Object.entries(metrics).map(([name, value]) => ({ name, value })), exceptions });
}

describe('MetricsStore', () => {
  it('sums counter increases per publisher, keeps the latest gauges and latencies and the largest restart count', () => {
    const store = new MetricsStore();
    store.apply(words, message({ '__emit-count/default': '10', '__in-queue-depth': '4', '__complete-latency/default': '2.5', '__ack-count/default': '10', '__restarts': '1' }), 1000);
    const update = store.apply(words, message({ '__emit-count/default': '5', '__in-queue-depth': '0', '__complete-latency/default': '4', '__ack-count/default': '3', '__restarts': '1' }), 2000);
    assert.deepEqual([...update.counters], [['__emit-count/default', 5], ['__ack-count/default', 3]], 'the update carries the increases');
    assert.deepEqual([...update.latencies], [['__complete-latency/default', { meanMs: 4, weight: 3 }]], 'weighted by the acks of the same message');
    assert.deepEqual(store.snapshot(), [
      {
        component: 'words',
        instanceId: 'container_1_words_1',
        hostname: 'h',
        lastPublishMs: 2000,
        counters: { '__emit-count/default': 15, '__ack-count/default': 13 },
        latencies: { '__complete-latency/default': 4 },
        gauges: { '__in-queue-depth': 0 },
        restarts: 1,
      },
    ]);
  });

  it('keeps a transient gauge while published, and reports it ended once a message lacks it', () => {
    const store = new MetricsStore();
    const stmgr: PublisherInfo = { component: '__stmgr__', instanceId: 'stmgr-1', instanceIndex: 0, hostname: 'h' };
    const first = store.apply(stmgr, message({ '__back-pressure-since/container_1_count_3': '1700000000123', '__back-pressure-peer-since/stmgr-2': '1700000000050', '__back-pressure': '1' }), 1);
    assert.deepEqual(first.ended, []);
    assert.equal(first.gauges.get('__back-pressure-since/container_1_count_3'), 1_700_000_000_123);
    const second = store.apply(stmgr, message({ '__back-pressure-peer-since/stmgr-2': '1700000000050', '__back-pressure': '0' }), 2);
    assert.deepEqual(second.ended, ['__back-pressure-since/container_1_count_3']);
    assert.deepEqual(store.snapshot()[0]?.gauges, { '__back-pressure-peer-since/stmgr-2': 1_700_000_000_050, '__back-pressure': 0 });
    assert.deepEqual(store.apply(stmgr, message({ '__back-pressure': '0' }), 3).ended, ['__back-pressure-peer-since/stmgr-2']);
    assert.deepEqual(store.apply(stmgr, message({}), 4).ended, [], 'ended once');
    assert.deepEqual(store.snapshot()[0]?.gauges, { '__back-pressure': 0 }, 'a plain gauge stays');
  });

  it('goes on with the totals of a publisher that registers again (a restarted instance)', () => {
    const store = new MetricsStore();
    store.apply(words, message({ '__emit-count/default': '10' }), 1);
    store.apply({ ...words, hostname: 'other' }, message({ '__emit-count/default': '1', '__restarts': '2' }), 2);
    const [only] = store.snapshot();
    assert.equal(only?.counters['__emit-count/default'], 11);
    assert.equal(only?.hostname, 'other');
    assert.equal(only?.restarts, 2);
    store.apply(words, message({ '__restarts': '0' }), 3);
    assert.equal(store.snapshot()[0]?.restarts, 2, 'a restart count never goes down');
  });

  it('rejects values that are not numbers and counters that go down, keeping the rest of the message', () => {
    const store = new MetricsStore();
    const update = store.apply(words, message({ '__emit-count/default': '-3', 'jvm-version': '21.0.1-ea', '__ack-count/default': '', '__fail-count/default': '2' }), 1);
    assert.deepEqual(update.rejected, [
      { name: '__emit-count/default', reason: 'a counter increase cannot be negative (-3)' },
      { name: 'jvm-version', reason: 'value "21.0.1-ea" is not a number' },
      { name: '__ack-count/default', reason: 'value "" is not a number' },
    ]);
    assert.deepEqual(store.snapshot()[0]?.counters, { '__fail-count/default': 2 });
  });

  it('passes exceptions on with their counts and times', () => {
    const update = new MetricsStore().apply(words, message({}, [{ stacktrace: 'Error: boom\n  at x', firsttime: 't1', lasttime: 't2', count: 3, logging: 'boom' }]), 1);
    assert.deepEqual(update.exceptions, [{ stacktrace: 'Error: boom\n  at x', firstTime: 't1', lastTime: 't2', count: 3, message: 'boom' }]);
  });
});
