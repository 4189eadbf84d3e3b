import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endedTransientGauges, isTransientGauge, latencyWeight, latencyWeightNames, parseMetricName, taskIdOfInstance } from './metric-names.js';

describe('metric names', () => {
  it('reads the kind of every name of native/PROTOCOL.md §9 from its base', () => {
    const kinds = Object.fromEntries(
      [
        '__emit-count/default',
        '__execute-count/words/default',
        '__ack-count/default',
        '__fail-count/words/default',
        '__complete-latency/default',
        '__execute-latency/words/default',
        '__process-latency/words/default',
        '__complete-latency-count/default',
        '__in-queue-depth',
        '__out-queue-depth',
        '__restarts',
        '__connection-tuples-in/stmgr-2',
        '__connection-bytes-out/container_1_words_3',
        '__connection-queued-bytes/stmgr-2',
        '__tuples-dropped/unknown-stream',
        '__time_spent_back_pressure_initiated',
        '__time_spent_back_pressure_by_compid/container_1_count_4',
        '__time_spent_back_pressure_by_others',
        '__back-pressure',
        '__back-pressure-since/container_1_count_4',
        '__back-pressure-peer-since/stmgr-2',
        '__spouts-paused',
        'my-own-gauge',
      ].map((name) => [name, parseMetricName(name).kind]),
    );
    assert.deepEqual(kinds, {
      '__emit-count/default': 'counter',
      '__execute-count/words/default': 'counter',
      '__ack-count/default': 'counter',
      '__fail-count/words/default': 'counter',
      '__complete-latency/default': 'latency',
      '__execute-latency/words/default': 'latency',
      '__process-latency/words/default': 'latency',
      '__complete-latency-count/default': 'counter',
      '__in-queue-depth': 'gauge',
      '__out-queue-depth': 'gauge',
      '__restarts': 'restarts',
      '__connection-tuples-in/stmgr-2': 'counter',
      '__connection-bytes-out/container_1_words_3': 'counter',
      '__connection-queued-bytes/stmgr-2': 'gauge',
      '__tuples-dropped/unknown-stream': 'counter',
      '__time_spent_back_pressure_initiated': 'counter',
      '__time_spent_back_pressure_by_compid/container_1_count_4': 'counter',
      '__time_spent_back_pressure_by_others': 'counter',
      '__back-pressure': 'gauge',
      '__back-pressure-since/container_1_count_4': 'gauge',
      '__back-pressure-peer-since/stmgr-2': 'gauge',
      '__spouts-paused': 'gauge',
      'my-own-gauge': 'gauge',
    });
    assert.deepEqual(parseMetricName('__execute-count/words/default'), { name: '__execute-count/words/default', base: '__execute-count', parts: ['words', 'default'], kind: 'counter' });
  });

  it('weights a latency by its explicit sample count, else by the tuples it was measured on, else 1', () => {
    const complete = parseMetricName('__complete-latency/default');
    assert.deepEqual(latencyWeightNames(complete), ['__complete-latency-count/default', '__ack-count/default']);
    assert.deepEqual(latencyWeightNames(parseMetricName('__execute-latency/w/s')), ['__execute-latency-count/w/s', '__execute-count/w/s']);
    assert.deepEqual(latencyWeightNames(parseMetricName('__process-latency/w/s')), ['__process-latency-count/w/s', '__ack-count/w/s']);
    assert.deepEqual(latencyWeightNames(parseMetricName('__emit-count/default')), []);
    assert.equal(latencyWeight(complete, new Map([['__complete-latency-count/default', 7], ['__ack-count/default', 9]])), 7);
    assert.equal(latencyWeight(complete, new Map([['__ack-count/default', 9]])), 9);
    assert.equal(latencyWeight(complete, new Map([['__ack-count/default', 0]])), 1);
    assert.equal(latencyWeight(complete, new Map()), 1);
  });

  it('knows the gauges present only while their state holds, and which of them a publisher’s latest message ended', () => {
    assert.deepEqual(
      ['__back-pressure-since/container_1_count_4', '__back-pressure-peer-since/stmgr-2', '__back-pressure', '__spouts-paused', '__connection-queued-bytes/stmgr-2'].map(isTransientGauge),
      [true, true, false, false, true],
    );
    const before = ['__back-pressure-since/a', '__back-pressure-since/b', '__back-pressure-peer-since/stmgr-2', '__back-pressure', '__in-queue-depth'];
    assert.deepEqual(endedTransientGauges(before, new Set(['__back-pressure-since/b'])), ['__back-pressure-since/a', '__back-pressure-peer-since/stmgr-2'], 'plain gauges never end');
    assert.deepEqual(endedTransientGauges(before, new Set(before)), []);
  });

  it('finds the task id in an instance id', () => {
    assert.deepEqual(['container_1_words_3', 'container_12_my_bolt_40', 'stmgr-1', 'container_1_words_x'].map(taskIdOfInstance), [3, 40, undefined, undefined]);
  });
});
