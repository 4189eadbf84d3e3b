import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heron } from '../../core/proto/index.js';
import { MetricsCache } from './metrics-cache.js';
import { buildMetricsView } from './metrics-view.js';

import tmanager = heron.proto.tmanager;

const MINUTE = 60_000;
const names = { topology: 'wc', topologyId: 'wc-1' };

/** A PublishMetrics of `[component, instance, name, value]` datums. */
function publish(datums: ReadonlyArray<readonly [string, string, string, number | string]>, exceptions: tmanager.TmanagerExceptionLog.$Properties[] = []): tmanager.PublishMetrics {
  return tmanager.PublishMetrics.create({
    metrics: datums.map(([componentName, instanceId, name, value]) => ({ componentName, instanceId, name, value: String(value), timestamp: 0 })),
    exceptions,
  });
}

function exception(instanceId: string, stacktrace: string, count = 1, lasttime = 't'): tmanager.TmanagerExceptionLog.$Properties {
  return { componentName: 'count', hostname: 'h', instanceId, stacktrace, firsttime: 'first', lasttime, count, logging: stacktrace.split('\n')[0] ?? '' };
}

describe('MetricsCache', () => {
  it('aggregates per instance and per component: counters summed over streams and reports, latencies weighted by samples', () => {
    const cache = new MetricsCache();
    cache.ingest(
      publish([
        ['words', 'container_1_words_1', '__emit-count/default', 100],
        ['words', 'container_1_words_1', '__emit-count/other', 10],
        ['words', 'container_1_words_1', '__ack-count/default', 30],
        ['words', 'container_1_words_1', '__complete-latency/default', 10],
        ['words', 'container_2_words_2', '__ack-count/default', 10],
        ['words', 'container_2_words_2', '__complete-latency/default', 30],
        ['count', 'container_1_count_3', '__execute-count/words/default', 90],
        ['count', 'container_1_count_3', '__execute-latency/words/default', 0.5],
        ['count', 'container_1_count_3', '__in-queue-depth', 7],
        ['count', 'container_1_count_3', '__restarts', 2],
      ]),
      1000,
    );
    cache.ingest(publish([['words', 'container_1_words_1', '__emit-count/default', 5], ['count', 'container_1_count_3', '__in-queue-depth', 1]]), 2000);
    const view = buildMetricsView(cache, names, 3000);
    assert.equal(view.topology, 'wc');
    assert.equal(view.intervalSeconds, null);
    const words = view.components['words']!;
    assert.equal(words.emitted, 115);
    assert.equal(words.acked, 40);
    // (10 ms × 30 acks + 30 ms × 10 acks) / 40 acks
    assert.equal(words.completeLatencyMs, 15);
    assert.equal(words.instances['container_1_words_1']?.completeLatencyMs, 10);
    assert.equal(words.instances['container_2_words_2']?.completeLatencyMs, 30);
    assert.equal(words.executeLatencyMs, null, 'no samples, no mean');
    assert.deepEqual(view.components['count']?.instances['container_1_count_3'], {
      emitted: 0,
      executed: 90,
      acked: 0,
      failed: 0,
      completeLatencyMs: null,
      executeLatencyMs: 0.5,
      processLatencyMs: null,
      restarts: 2,
      inQueueDepth: 1,
      outQueueDepth: null,
      lastReportMs: 2000,
    });
  });

  it('shows each stream manager’s tuples, bytes and back pressure with its causes', () => {
    const cache = new MetricsCache();
    const sm = (name: string, value: number) => ['__stmgr__', 'stmgr-1', name, value] as const;
    cache.ingest(
      publish([
        sm('__connection-tuples-in/container_1_words_1', 400),
        sm('__connection-tuples-out/stmgr-2', 150),
        sm('__connection-tuples-out/container_1_count_3', 250),
        sm('__connection-bytes-in/container_1_words_1', 8000),
        sm('__tuples-dropped/unknown-stream', 2),
        sm('__time_spent_back_pressure_initiated', 900),
        sm('__time_spent_back_pressure_by_compid/container_1_count_3', 900),
        sm('__time_spent_back_pressure_by_stmgr/stmgr-2', 300),
        sm('__back-pressure', 1),
      ]),
      1000,
    );
    assert.deepEqual(buildMetricsView(cache, names, 1000).stmgrs, {
      'stmgr-1': {
        tuplesIn: 400,
        tuplesOut: 400,
        bytesIn: 8000,
        bytesOut: 0,
        dropped: 2,
        backPressure: true,
        backPressureMs: 900,
        causes: { container_1_count_3: 900, 'stmgr-2': 300 },
        active: {},
        peersAnnouncing: {},
        spoutsPaused: false,
        pausedByOthersMs: 0,
        restarts: 0,
        lastReportMs: 1000,
      },
    });
  });

  it('shows a stream manager’s causes and announcing peers now with since when, until they end, and its spouts paused', () => {
    const cache = new MetricsCache();
    const sm = (name: string, value: number) => ['__stmgr__', 'stmgr-1', name, value] as const;
    const view = (nowMs: number) => buildMetricsView(cache, names, nowMs).stmgrs['stmgr-1'];
    cache.ingest(
      publish([
        sm('__back-pressure', 1),
        sm('__back-pressure-since/container_1_count_3', 1_700_000_000_123),
        sm('__back-pressure-since/stmgr-3', 1_700_000_000_900),
        sm('__back-pressure-peer-since/stmgr-2', 1_700_000_000_050),
        sm('__spouts-paused', 1),
        sm('__time_spent_back_pressure_by_others', 400),
        sm('__time_spent_back_pressure_by_compid/container_1_count_3', 300),
      ]),
      1000,
    );
    const during = view(1000);
    assert.deepEqual(during?.active, { container_1_count_3: 1_700_000_000_123, 'stmgr-3': 1_700_000_000_900 });
    assert.deepEqual(during?.peersAnnouncing, { 'stmgr-2': 1_700_000_000_050 });
    assert.equal(during?.spoutsPaused, true);
    assert.equal(during?.pausedByOthersMs, 400);
    assert.deepEqual(during?.causes, { container_1_count_3: 300 }, 'the totals per cause are apart from the active ones');

    cache.ingest(publish([sm('__back-pressure', 1), sm('__back-pressure-since/stmgr-3', 1_700_000_000_900), sm('__spouts-paused', 1), sm('__time_spent_back_pressure_by_others', 100)]), 2000);
    assert.deepEqual(view(2000)?.active, { 'stmgr-3': 1_700_000_000_900 }, 'an ended cause is gone');
    assert.deepEqual(view(2000)?.peersAnnouncing, {});
    assert.equal(view(2000)?.pausedByOthersMs, 500);

    cache.ingest(publish([sm('__back-pressure', 0), sm('__spouts-paused', 0)]), 3000);
    const over = view(3000);
    assert.deepEqual([over?.backPressure, over?.active, over?.spoutsPaused, over?.causes], [false, {}, false, { container_1_count_3: 300 }]);
  });

  it('keeps a stream manager’s transient gauges while its messages carry them, and drops one a message lacks', () => {
    const cache = new MetricsCache();
    const sm = (name: string, value: number) => ['__stmgr__', 'stmgr-1', name, value] as const;
    const transient = () => [...(cache.entries()[0]?.series.keys() ?? [])].filter((name) => name.includes('-since/')).sort();
    cache.ingest(publish([sm('__back-pressure-since/container_1_count_3', 1_700_000_000_123), sm('__back-pressure-peer-since/stmgr-2', 1_700_000_000_050), sm('__back-pressure', 1)]), 1000);
    assert.deepEqual(transient(), ['__back-pressure-peer-since/stmgr-2', '__back-pressure-since/container_1_count_3']);
    cache.ingest(publish([['words', 'container_1_words_1', '__emit-count/default', 1]]), 1500);
    assert.equal(transient().length, 2, 'a message without the stream manager changes nothing of it');
    cache.ingest(publish([sm('__back-pressure-peer-since/stmgr-2', 1_700_000_000_050), sm('__back-pressure', 1)]), 2000);
    assert.deepEqual(transient(), ['__back-pressure-peer-since/stmgr-2']);
    cache.ingest(publish([sm('__back-pressure', 0)]), 3000);
    assert.deepEqual(transient(), []);
    assert.equal(cache.entries()[0]?.series.get('__back-pressure')?.latest, 0, 'a plain gauge stays');
  });

  it('answers for a recent window from its history, and purges history older than it keeps (and instances silent that long)', () => {
    const cache = new MetricsCache({ historyMs: 180 * MINUTE, bucketMs: MINUTE });
    const emit = (instance: string, value: number) => publish([['words', instance, '__emit-count/default', value]]);
    cache.ingest(emit('container_1_words_1', 100), 0);
    cache.ingest(emit('container_2_words_2', 1), 0);
    cache.ingest(emit('container_1_words_1', 10), 100 * MINUTE);
    cache.ingest(emit('container_1_words_1', 1), 179 * MINUTE);
    const at = 181 * MINUTE;
    assert.equal(buildMetricsView(cache, names, at, 5 * MINUTE).components['words']?.instances['container_1_words_1']?.emitted, 1, 'the last 5 minutes');
    assert.equal(buildMetricsView(cache, names, at, 90 * MINUTE).components['words']?.emitted, 11);
    cache.purge(at);
    const all = buildMetricsView(cache, names, at);
    assert.equal(all.components['words']?.instances['container_1_words_1']?.emitted, 111, 'all-time totals outlive the history');
    assert.equal(all.components['words']?.instances['container_2_words_2'], undefined, 'an instance silent for the whole history is gone');
    assert.equal(buildMetricsView(cache, names, at, 24 * 60 * MINUTE).components['words']?.emitted, 11, 'the minute-0 bucket was purged');
    const series = cache.entries()[0]?.series.get('__emit-count/default');
    assert.equal(series?.historyLength, 2);
  });

  it('skips values that are not numbers and counters that go down', () => {
    const cache = new MetricsCache();
    const { skipped } = cache.ingest(
      publish([
        ['words', 'container_1_words_1', '__emit-count/default', 'many'],
        ['words', 'container_1_words_1', '__emit-count/default', -4],
        ['words', 'container_1_words_1', '__emit-count/default', 2],
      ]),
      1,
    );
    assert.equal(skipped, 2);
    assert.equal(buildMetricsView(cache, names, 1).components['words']?.emitted, 2);
  });

  it('keeps exceptions merged by instance and stack trace, at most 256, the least recently reported dropped first', () => {
    const cache = new MetricsCache();
    cache.ingest(publish([], [exception('container_1_count_3', 'Error: a\n at x', 2, 't1')]), 1);
    cache.ingest(publish([], [exception('container_1_count_3', 'Error: a\n at x', 3, 't2'), exception('container_1_count_5', 'Error: a\n at x')]), 2);
    assert.deepEqual(cache.exceptions(), [
      { component: 'count', instance: 'container_1_count_3', task: 3, hostname: 'h', message: 'Error: a', stacktrace: 'Error: a\n at x', count: 5, firstTime: 'first', lastTime: 't2' },
      { component: 'count', instance: 'container_1_count_5', task: 5, hostname: 'h', message: 'Error: a', stacktrace: 'Error: a\n at x', count: 1, firstTime: 'first', lastTime: 't' },
    ]);
    cache.ingest(publish([], Array.from({ length: 300 }, (_, i) => exception('container_1_count_3', `Error: ${i}`))), 3);
    cache.ingest(publish([], [exception('container_1_count_3', 'Error: 50', 1, 'again')]), 4);
    const kept = cache.exceptions();
    assert.equal(kept.length, 256);
    assert.equal(kept[0]?.stacktrace, 'Error: 44', '302 reported: the two first and 44 of the flood dropped');
    assert.deepEqual([kept.at(-1)?.stacktrace, kept.at(-1)?.count, kept.at(-1)?.lastTime], ['Error: 50', 2, 'again'], 'a repeat moves to the newest');
    assert.deepEqual(cache.exceptions('words'), []);
  });
});
