import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorLog } from './error-log.js';
import { streamInfo } from './plan-view.js';
import { InputStream, OutputStats } from './stream-stats.js';
import { TaskMetrics } from './task-metrics.js';

const output = (stream: string) => ({ info: streamInfo('c', stream, ['v'], false), stats: new OutputStats() });

describe('TaskMetrics', () => {
  it("publishes a spout's counters per stream, its complete latency with its weight, and zeroes them", () => {
    const words = output('default');
    const other = output('other');
    Object.assign(words.stats, { emitCount: 10, ackCount: 6, failCount: 2, completeMs: 9, completeSamples: 6 });
    const metrics = new TaskMetrics('spout', [words, other], []);
    assert.deepEqual(new Map(metrics.collect()), new Map([
      ['__emit-count/default', 10],
      ['__ack-count/default', 6],
      ['__fail-count/default', 2],
      ['__complete-latency/default', 1.5],
      ['__complete-latency-count/default', 6],
      ['__emit-count/other', 0],
      ['__ack-count/other', 0],
      ['__fail-count/other', 0],
    ]));
    assert.deepEqual(metrics.collect().filter(([, value]) => value !== 0), [], 'counters start again from 0');
  });

  it("publishes a bolt's emits per stream and its inputs' counters and latencies per source component and stream", () => {
    const out = output('seen');
    out.stats.emitCount = 3;
    const input = new InputStream(streamInfo('words', 'default', ['w'], false));
    Object.assign(input, { executeCount: 32, executeMs: 0.5, executeSamples: 2, ackCount: 30, failCount: 1, processMs: 3.1, processSamples: 31 });
    const quiet = new InputStream(streamInfo('words', 'other', ['w'], false));
    const metrics = new TaskMetrics('bolt', [out], [input, quiet]);
    assert.deepEqual(new Map(metrics.collect()), new Map([
      ['__emit-count/seen', 3],
      ['__execute-count/words/default', 32],
      ['__ack-count/words/default', 30],
      ['__fail-count/words/default', 1],
      // The mean of the timed executes, weighted by all of them.
      ['__execute-latency/words/default', 0.25],
      ['__execute-latency-count/words/default', 32],
      ['__process-latency/words/default', 0.1],
      ['__process-latency-count/words/default', 31],
      ['__execute-count/words/other', 0],
      ['__ack-count/words/other', 0],
      ['__fail-count/words/other', 0],
    ]));
    assert.equal(input.executeSamples + input.processSamples + input.executeCount, 0);
  });
});

describe('ErrorLog', () => {
  it('aggregates errors by message and stack, with their count and first and last times', () => {
    const log = new ErrorLog();
    const error = new Error('bad input');
    log.add(error, new Date('2024-01-01T00:00:00Z'));
    log.add(error, new Date('2024-01-01T00:00:05Z'));
    log.add(new Error('other'), new Date('2024-01-01T00:00:01Z'));
    log.add('a string', new Date('2024-01-01T00:00:02Z'));
    const drained = log.drain();
    assert.deepEqual(
      drained.map((e) => [e.logging, e.count, e.firstTime, e.lastTime]),
      [
        ['bad input', 2, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:05.000Z'],
        ['other', 1, '2024-01-01T00:00:01.000Z', '2024-01-01T00:00:01.000Z'],
        ['a string', 1, '2024-01-01T00:00:02.000Z', '2024-01-01T00:00:02.000Z'],
      ],
    );
    assert.match(drained[0]!.stacktrace, /^Error: bad input\n\s+at /);
    assert.equal(drained[2]!.stacktrace, 'a string');
    assert.deepEqual(log.drain(), []);
  });

  it('keeps at most 128 distinct errors an interval, and truncates long messages and stacks', () => {
    const log = new ErrorLog();
    for (let i = 0; i < 500; i++) log.add(new Error(`error ${i}`));
    assert.equal(log.drain().length, 128);
    log.add(new Error('x'.repeat(10_000)));
    const [long] = log.drain();
    assert.equal(long!.logging.length, 1024);
    assert.equal(long!.stacktrace.length, 4096);
    assert.ok(long!.logging.endsWith('…'));
  });
});
