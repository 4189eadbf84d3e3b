import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../core/logging.js';
import { heron } from '../../core/proto/index.js';
import { parsePrometheusText, type PrometheusScrape, sampleValue } from '../../test/metricsmgr/prometheus-text.js';
import { MetricsStore, type PublisherInfo } from './metrics-store.js';
import { PrometheusSink } from './prometheus-sink.js';

const spout: PublisherInfo = { component: 'words', instanceId: 'container_1_words_1', instanceIndex: 0, hostname: 'h' };
const bolt: PublisherInfo = { component: 'count', instanceId: 'container_1_count_3', instanceIndex: 0, hostname: 'h' };
const stmgr: PublisherInfo = { component: '__stmgr__', instanceId: 'stmgr-1', instanceIndex: 0, hostname: 'h' };

describe('PrometheusSink', async () => {
  const sink = await PrometheusSink.start({ host: '127.0.0.1', port: 0, topology: 'wc', logger: createLogger('test') });
  after(() => sink.close());
  const store = new MetricsStore();
  let now = 0;
  const publish = (publisher: PublisherInfo, metrics: Record<string, number>, exceptions = 0) =>
    sink.record(
      store.apply(
        publisher,
        heron.proto.system.MetricPublisherPublishMessage.create({
          metrics: Object.entries(metrics).map(([name, value]) => ({ name, value: String(value) })),
          exceptions: exceptions > 0 ? [{ stacktrace: 's', firsttime: 'a', lasttime: 'b', count: exceptions, logging: 'm' }] : [],
        }),
        ++now,
      ),
    );
  const scrape = async (): Promise<PrometheusScrape> => {
    const response = await fetch(sink.address.url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  };
  const spoutLabels = { topology: 'wc', component: 'words', instance: 'container_1_words_1', task: '1' };
  const boltLabels = { topology: 'wc', component: 'count', instance: 'container_1_count_3', task: '3' };

  it('serves instance metrics under Prometheus names and labels: counters as totals of the increases, latencies in seconds', async () => {
    publish(spout, { '__emit-count/default': 100, '__ack-count/default': 90, '__fail-count/default': 0, '__complete-latency/default': 12.5, '__in-queue-depth': 3, '__restarts': 2 });
    publish(bolt, { '__execute-count/words/default': 80, '__ack-count/words/default': 80, '__execute-latency/words/default': 0.25, '__process-latency/words/default': 0.5 }, 2);
    const first = await scrape();
    assert.equal(sampleValue(first, 'egret_emitted_tuples_total', { ...spoutLabels, stream: 'default' }), 100);
    assert.equal(sampleValue(first, 'egret_acked_tuples_total', { ...spoutLabels, stream: 'default' }), 90);
    assert.equal(sampleValue(first, 'egret_failed_tuples_total', { ...spoutLabels, stream: 'default' }), 0, 'a zero increase still shows the series');
    assert.equal(sampleValue(first, 'egret_complete_latency_seconds', { ...spoutLabels, stream: 'default' }), 0.0125);
    assert.equal(sampleValue(first, 'egret_instance_queue_depth', { ...spoutLabels, queue: 'in' }), 3);
    assert.equal(sampleValue(first, 'egret_instance_restarts_total', spoutLabels), 2);
    assert.equal(sampleValue(first, 'egret_executed_tuples_total', { ...boltLabels, source_component: 'words', stream: 'default' }), 80);
    assert.equal(sampleValue(first, 'egret_acked_tuples_total', { ...boltLabels, source_component: 'words', stream: 'default' }), 80);
    assert.equal(sampleValue(first, 'egret_execute_latency_seconds', { ...boltLabels, source_component: 'words' }), 0.00025);
    assert.equal(sampleValue(first, 'egret_process_latency_seconds', { ...boltLabels, source_component: 'words' }), 0.0005);
    assert.equal(sampleValue(first, 'egret_exceptions_total', boltLabels), 2);
    assert.equal(first.types.get('egret_emitted_tuples_total'), 'counter');
    assert.equal(first.types.get('egret_complete_latency_seconds'), 'gauge');
    const emitted = first.samples.find((s) => s.name === 'egret_emitted_tuples_total');
    assert.deepEqual(Object.keys(emitted?.labels ?? {}).sort(), ['component', 'instance', 'stream', 'task', 'topology']);

    publish(spout, { '__emit-count/default': 50, '__complete-latency/default': 20, '__restarts': 2 });
    publish(spout, { '__emit-count/default': 0, '__restarts': 3 });
    const second = await scrape();
    assert.equal(sampleValue(second, 'egret_emitted_tuples_total', { ...spoutLabels, stream: 'default' }), 150, 'counters only go up');
    assert.equal(sampleValue(second, 'egret_complete_latency_seconds', { ...spoutLabels, stream: 'default' }), 0.02, 'a gauge is the latest');
    assert.equal(sampleValue(second, 'egret_instance_restarts_total', spoutLabels), 3, 'restarts advance to the count published');
  });

  it('serves the stream manager’s connections and back pressure, with the cause', async () => {
    publish(stmgr, {
      '__connection-tuples-in/container_1_words_1': 500,
      '__connection-tuples-out/stmgr-2': 200,
      '__connection-bytes-out/stmgr-2': 4096,
      '__connection-queued-bytes/stmgr-2': 1024,
      '__tuples-dropped/unknown-stream': 1,
      '__time_spent_back_pressure_initiated': 1500,
      '__time_spent_back_pressure_by_compid/container_1_count_3': 1500,
      '__time_spent_back_pressure_by_stmgr/stmgr-2': 250,
      '__back-pressure': 1,
    });
    publish(stmgr, { '__time_spent_back_pressure_by_compid/container_1_count_3': 500, '__back-pressure': 0, '__connection-queued-bytes/stmgr-2': 1024 });
    const scraped = await scrape();
    const labels = { topology: 'wc', stmgr: 'stmgr-1' };
    assert.equal(sampleValue(scraped, 'egret_stmgr_connection_tuples_total', { ...labels, direction: 'in', connection: 'container_1_words_1' }), 500);
    assert.equal(sampleValue(scraped, 'egret_stmgr_connection_tuples_total', { ...labels, direction: 'out', connection: 'stmgr-2' }), 200);
    assert.equal(sampleValue(scraped, 'egret_stmgr_connection_bytes_total', { ...labels, direction: 'out', connection: 'stmgr-2' }), 4096);
    assert.equal(sampleValue(scraped, 'egret_stmgr_connection_queued_bytes', { ...labels, connection: 'stmgr-2' }), 1024);
    assert.equal(sampleValue(scraped, 'egret_stmgr_dropped_tuples_total', { ...labels, reason: 'unknown-stream' }), 1);
    assert.equal(sampleValue(scraped, 'egret_stmgr_back_pressure_seconds_total', { ...labels, cause: 'container_1_count_3' }), 2);
    assert.equal(sampleValue(scraped, 'egret_stmgr_back_pressure_seconds_total', { ...labels, cause: 'stmgr-2' }), 0.25, 'a peer cause too');
    assert.equal(sampleValue(scraped, 'egret_stmgr_back_pressure_initiated_seconds_total', labels), 1.5);
    assert.equal(sampleValue(scraped, 'egret_stmgr_back_pressure', labels), 0);
    // The connection to stmgr-2 closed: the next message has no queue for it, and neither has the scrape.
    publish(stmgr, { '__back-pressure': 0 });
    assert.equal(sampleValue(await scrape(), 'egret_stmgr_connection_queued_bytes', { ...labels, connection: 'stmgr-2' }), undefined);
  });

  it('shows each active cause and announcing peer since when, as unix time, until it ends; spouts paused; time paused by peers', async () => {
    const sm: PublisherInfo = { ...stmgr, instanceId: 'stmgr-3' };
    const labels = { topology: 'wc', stmgr: 'stmgr-3' };
    publish(sm, {
      '__back-pressure-since/container_1_count_3': 1_700_000_000_123,
      '__back-pressure-since/stmgr-2': 1_700_000_005_000,
      '__back-pressure-peer-since/stmgr-1': 1_700_000_000_050,
      '__back-pressure': 1,
      '__spouts-paused': 1,
      '__time_spent_back_pressure_by_others': 1500,
    });
    const during = await scrape();
    assert.equal(sampleValue(during, 'egret_stmgr_back_pressure_cause_since_seconds', { ...labels, cause: 'container_1_count_3' }), 1_700_000_000.123);
    assert.equal(sampleValue(during, 'egret_stmgr_back_pressure_cause_since_seconds', { ...labels, cause: 'stmgr-2' }), 1_700_000_005);
    assert.equal(sampleValue(during, 'egret_stmgr_back_pressure_peer_since_seconds', { ...labels, peer: 'stmgr-1' }), 1_700_000_000.05);
    assert.equal(sampleValue(during, 'egret_stmgr_spouts_paused', labels), 1);
    assert.equal(sampleValue(during, 'egret_stmgr_back_pressure_by_peers_seconds_total', labels), 1.5);
    assert.equal(during.types.get('egret_stmgr_back_pressure_cause_since_seconds'), 'gauge');
    assert.equal(during.types.get('egret_stmgr_back_pressure_by_peers_seconds_total'), 'counter');

    publish(sm, { '__back-pressure-since/stmgr-2': 1_700_000_005_000, '__back-pressure': 1, '__spouts-paused': 1, '__time_spent_back_pressure_by_others': 500 });
    const partly = await scrape();
    assert.equal(sampleValue(partly, 'egret_stmgr_back_pressure_cause_since_seconds', { ...labels, cause: 'container_1_count_3' }), undefined, 'an ended cause is gone');
    assert.equal(sampleValue(partly, 'egret_stmgr_back_pressure_cause_since_seconds', { ...labels, cause: 'stmgr-2' }), 1_700_000_005, 'the other stays');
    assert.equal(sampleValue(partly, 'egret_stmgr_back_pressure_peer_since_seconds', { ...labels, peer: 'stmgr-1' }), undefined, 'a peer no longer announcing is gone');
    assert.equal(sampleValue(partly, 'egret_stmgr_back_pressure_by_peers_seconds_total', labels), 2);

    publish(sm, { '__back-pressure': 0, '__spouts-paused': 0 });
    const over = await scrape();
    assert.deepEqual(over.samples.filter((s) => s.name.endsWith('_since_seconds') && s.labels['stmgr'] === 'stmgr-3'), []);
    assert.equal(sampleValue(over, 'egret_stmgr_spouts_paused', labels), 0);
  });

  it('answers 404 elsewhere than GET /metrics', async () => {
    const response = await fetch(new URL('/other', sink.address.url));
    assert.equal(response.status, 404);
    await response.text();
  });
});
