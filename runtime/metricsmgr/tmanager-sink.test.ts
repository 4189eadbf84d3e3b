import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../core/logging.js';
import { heron } from '../../core/proto/index.js';
import { MetricsStore, type PublisherInfo } from './metrics-store.js';
import { type MetricsLink, TManagerSink } from './tmanager-sink.js';

import tmanager = heron.proto.tmanager;

class FakeLink implements MetricsLink {
  up = true;
  readonly sent: tmanager.PublishMetrics[] = [];
  send(messageType: string, payload: Uint8Array): boolean {
    assert.equal(messageType, 'heron.proto.tmanager.PublishMetrics');
    if (!this.up) return false;
    this.sent.push(tmanager.PublishMetrics.decode(payload));
    return true;
  }
  close(): void {}
}

const count: PublisherInfo = { component: 'count', instanceId: 'container_1_count_3', instanceIndex: 0, hostname: 'host-a' };
const flush = { timestampMs: 0, publishers: [], exceptions: [] };

function publish(store: MetricsStore, sink: TManagerSink, metrics: Record<string, string>, nowMs: number, exceptions: heron.proto.system.ExceptionData.$Properties[] = []): void {
  const message = heron.proto.system.MetricPublisherPublishMessage.create({ metrics: Object.entries(metrics).map(([name, value]) => ({ name, value })), exceptions });
  sink.record(store.apply(count, message, nowMs));
}

const datums = (m: tmanager.PublishMetrics) => Object.fromEntries(m.metrics.map((d) => [d.name, [d.componentName, d.instanceId, d.value, Number(d.timestamp)]]));

describe('TManagerSink', () => {
  it('sends what arrived since the previous send: increases summed, latencies weighted, gauges latest, each datum with component, instance and time', async () => {
    const link = new FakeLink();
    const sink = new TManagerSink(link, createLogger('test'));
    const store = new MetricsStore();
    publish(store, sink, { '__execute-count/words/default': '10', '__execute-latency/words/default': '1', '__in-queue-depth': '5' }, 1000);
    publish(store, sink, { '__execute-count/words/default': '30', '__execute-latency/words/default': '3', '__in-queue-depth': '2', '__restarts': '1' }, 2000);
    await sink.flush(flush);
    assert.equal(link.sent.length, 1);
    assert.deepEqual(datums(link.sent[0]!), {
      '__execute-count/words/default': ['count', 'container_1_count_3', '40', 2000],
      '__execute-latency/words/default': ['count', 'container_1_count_3', '2.5', 2000],
      '__in-queue-depth': ['count', 'container_1_count_3', '2', 2000],
      '__restarts': ['count', 'container_1_count_3', '1', 2000],
    });
    await sink.flush(flush);
    assert.equal(link.sent.length, 1, 'nothing new, nothing sent');
  });

  it('sends the transient gauges still published at the last message of the interval, not those that ended in it', async () => {
    const link = new FakeLink();
    const sink = new TManagerSink(link, createLogger('test'));
    const store = new MetricsStore();
    publish(store, sink, { '__back-pressure-since/a': '100', '__back-pressure-since/b': '200', '__back-pressure': '1' }, 1000);
    publish(store, sink, { '__back-pressure-since/b': '200', '__back-pressure': '1' }, 2000);
    await sink.flush(flush);
    assert.deepEqual(Object.keys(datums(link.sent[0]!)).sort(), ['__back-pressure', '__back-pressure-since/b']);
  });

  it('keeps accumulating while the topology manager is away, and sends it all once back', async () => {
    const link = new FakeLink();
    link.up = false;
    const sink = new TManagerSink(link, createLogger('test'));
    const store = new MetricsStore();
    publish(store, sink, { '__emit-count/default': '7' }, 1000, [{ stacktrace: 'Error: x', firsttime: 'a', lasttime: 'b', count: 2, logging: 'x' }]);
    await sink.flush(flush);
    publish(store, sink, { '__emit-count/default': '8' }, 2000);
    link.up = true;
    await sink.flush(flush);
    assert.equal(link.sent.length, 1);
    assert.deepEqual(datums(link.sent[0]!)['__emit-count/default'], ['count', 'container_1_count_3', '15', 2000]);
    assert.deepEqual({ ...link.sent[0]!.exceptions[0]! }, {
      componentName: 'count',
      hostname: 'host-a',
      instanceId: 'container_1_count_3',
      stacktrace: 'Error: x',
      firsttime: 'a',
      lasttime: 'b',
      count: 2,
      logging: 'x',
    });
  });

  it('holds at most 256 exceptions while away, the newest', async () => {
    const link = new FakeLink();
    link.up = false;
    const sink = new TManagerSink(link, createLogger('test'));
    const store = new MetricsStore();
    const many = Array.from({ length: 300 }, (_, i) => ({ stacktrace: `Error: ${i}`, firsttime: 'a', lasttime: 'b', count: 1, logging: String(i) }));
    publish(store, sink, {}, 1, many);
    link.up = true;
    await sink.flush(flush);
    const kept = link.sent[0]!.exceptions.map((e) => e.logging);
    assert.equal(kept.length, 256);
    assert.equal(kept[0], '44');
    assert.equal(kept.at(-1), '299');
  });
});
