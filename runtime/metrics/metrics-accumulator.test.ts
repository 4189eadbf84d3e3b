import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsAccumulator } from './metrics-accumulator.js';

describe('MetricsAccumulator', () => {
  it('sums counters, re-weights latencies by their sample counts, keeps the latest gauge and the largest restart count', () => {
    const unsent = new MetricsAccumulator();
    unsent.add(new Map([['__emit-count/default', 10], ['__execute-latency/words/default', 2], ['__execute-latency-count/words/default', 1], ['__in-queue-depth', 3], ['__restarts', 2]]));
    unsent.add(new Map([['__emit-count/default', 5], ['__execute-latency/words/default', 5], ['__execute-latency-count/words/default', 3], ['__in-queue-depth', 1], ['__restarts', 1]]));
    assert.deepEqual(
      unsent.drain(),
      new Map([['__emit-count/default', 15], ['__execute-latency-count/words/default', 4], ['__execute-latency/words/default', (2 * 1 + 5 * 3) / 4], ['__in-queue-depth', 1], ['__restarts', 2]]),
    );
  });

  it('weights a latency without its own sample count by the tuples it was measured on, else 1', () => {
    const unsent = new MetricsAccumulator();
    unsent.add(new Map([['__complete-latency/default', 10], ['__ack-count/default', 3], ['my-latency', 1], ['my-gauge', 1]]));
    unsent.add(new Map([['__complete-latency/default', 20], ['__ack-count/default', 1], ['my-latency', 4], ['my-gauge', 4]]));
    const merged = unsent.drain();
    assert.equal(merged.get('__complete-latency/default'), (10 * 3 + 20) / 4);
    assert.equal(merged.get('__ack-count/default'), 4);
    assert.equal(merged.get('my-latency'), 2.5, 'one sample per report');
    assert.equal(merged.get('my-gauge'), 4, 'an unknown name is a gauge: the latest');
  });

  it('keeps a transient gauge only if the latest report has it', () => {
    const unsent = new MetricsAccumulator();
    unsent.add(new Map([['__back-pressure-since/a', 100], ['__back-pressure-since/b', 200], ['__back-pressure', 1]]));
    unsent.add(new Map([['__back-pressure-since/b', 200], ['__back-pressure', 1]]));
    assert.deepEqual(unsent.drain(), new Map([['__back-pressure-since/b', 200], ['__back-pressure', 1]]));
  });

  it('starts afresh after a drain', () => {
    const unsent = new MetricsAccumulator();
    unsent.add(new Map([['__emit-count/default', 10]]));
    unsent.drain();
    assert.deepEqual(unsent.drain(), new Map());
  });
});
