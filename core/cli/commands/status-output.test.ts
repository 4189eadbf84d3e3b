import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TopologyStatus } from '../../submit/topology-status-types.js';
import { formatDuration, formatLatency, renderTopologyStatus, SHOWN_ERRORS } from './status-output.js';

const instance = (c: number, component: string, taskId: number, running = true) => ({
  id: `container_${c}_${component}_${taskId}`,
  component,
  taskId,
  componentIndex: 0,
  running,
  emitted: 1,
  executed: 2,
  acked: 3,
  failed: 0,
  restarts: 0,
});

const STATUS: TopologyStatus = {
  cluster: 'local',
  role: 'alice',
  environment: 'default',
  topology: 'wc',
  id: 'wc-1',
  state: 'RUNNING',
  submittedBy: 'alice',
  submittedAt: '2023-11-14T22:13:20.000Z',
  tmanager: { host: '127.0.0.1', serverPort: 5000, controllerPort: 4000 },
  containers: [
    { id: 1, stmgr: { id: 'stmgr-1', host: '127.0.0.1', dataPort: 9001, pid: 101 }, backPressure: { active: false, ms: 1500, causes: {} }, instances: [instance(1, 'word', 1), instance(1, 'count', 3)] },
    { id: 2, stmgr: { id: 'stmgr-2', host: '127.0.0.1', dataPort: 9002, pid: 102 }, backPressure: { active: true, ms: 40, causes: { container_2_count_4: '2023-11-14T22:14:59.960Z' } }, instances: [instance(2, 'word', 2), instance(2, 'count', 4)] },
  ],
  components: [
    { name: 'word', kind: 'spout', parallelism: 2, emitted: 8168975, executed: 0, acked: 0, failed: 0, completeLatencyMs: 12.345, executeLatencyMs: null, processLatencyMs: null, backPressureMs: 0, errors: 0 },
    { name: 'count', kind: 'bolt', parallelism: 2, emitted: 0, executed: 7429934, acked: 7429934, failed: 2, completeLatencyMs: null, executeLatencyMs: 0.0032, processLatencyMs: 189.2, backPressureMs: 5355, errors: 3 },
  ],
  metrics: { available: true, intervalSeconds: null, asOf: '2023-11-14T22:15:00.000Z' },
  exceptions: [{ component: 'count', instance: 'container_1_count_3', task: 3, hostname: 'h', message: 'Error: boom\n  at bolt.js:3', stacktrace: 'Error: boom\n  at bolt.js:3', count: 3, firstTime: 't1', lastTime: '2023-11-14T22:14:00Z' }],
};

describe('renderTopologyStatus', () => {
  it('prints a heading, the containers and the components with their figures', () => {
    const text = renderTopologyStatus(STATUS);
    const lines = text.split('\n');
    assert.equal(lines[0], 'wc on local/alice/default: RUNNING');
    assert.match(text, /\n {2}submitted\s+by alice at 2023-11-14T22:13:20\.000Z\n/);
    assert.match(text, /\n {2}tmanager\s+127\.0\.0\.1:5000 \(controller 127\.0\.0\.1:4000\)\n/);
    assert.match(text, /\n {2}instances\s+4 of 4 running in 2 container\(s\)\n/);
    assert.match(text, /\n {2}metrics\s+all time \(since the topology manager started\), as of 2023-11-14T22:15:00\.000Z\n/);
    assert.match(text, /\nCONTAINER\s+STREAM MANAGER\s+HOST\s+PID\s+TASKS\s+BACK PRESSURE\n1\s+stmgr-1\s+127\.0\.0\.1\s+101\s+word:1 count:3\s+1\.5 s\n2\s+stmgr-2\s+127\.0\.0\.1\s+102\s+word:2 count:4\s+40 ms \(now: container_2_count_4 since 2023-11-14T22:14:59\.960Z\)\n/);
    assert.match(text, /\nCOMPONENT\s+KIND\s+PARALLELISM\s+EMITTED\s+EXECUTED\s+ACKED\s+FAILED\s+COMPLETE LAT\s+EXECUTE LAT\s+PROCESS LAT\s+BACK PRESSURE\s+ERRORS\n/);
    assert.match(text, /\nword\s+spout\s+2\s+8168975\s+0\s+0\s+0\s+12\.3 ms\s+-\s+-\s+0 s\s+0\n/);
    assert.match(text, /\ncount\s+bolt\s+2\s+0\s+7429934\s+7429934\s+2\s+-\s+0\.003 ms\s+189 ms\s+5\.4 s\s+3\n/);
    assert.match(text, /\nuser errors \(the most recent last; 1 of 1; --format json has them all\):\n {2}COMPONENT\s+INSTANCE\s+COUNT\s+LAST\s+ERROR\n {2}count\s+container_1_count_3\s+x3\s+2023-11-14T22:14:00Z\s+Error: boom\n$/);
  });

  it('says why the figures are unknown and shows them as -, and marks instances not running yet', () => {
    const waiting: TopologyStatus = {
      ...STATUS,
      state: 'PAUSED',
      tmanager: null,
      metrics: { available: false, reason: 'no location in state' },
      exceptions: null,
      containers: STATUS.containers.map((c) => ({ ...c, stmgr: c.id === 2 ? null : c.stmgr, backPressure: null, instances: c.instances.map((i) => ({ ...i, running: c.id !== 2 })) })),
      components: STATUS.components.map((c) => ({ ...c, emitted: null, executed: null, acked: null, failed: null, completeLatencyMs: null, executeLatencyMs: null, processLatencyMs: null, backPressureMs: null, errors: null })),
    };
    const text = renderTopologyStatus(waiting);
    assert.match(text, /^wc on local\/alice\/default: PAUSED\n/);
    assert.match(text, /\n {2}tmanager\s+not running \(no location in state\)\n/);
    assert.match(text, /\n {2}instances\s+2 of 4 running in 2 container\(s\)\n/);
    assert.match(text, /\n {2}metrics\s+unavailable: no location in state\n/);
    assert.match(text, /\n2\s+\(not registered\)\s+-\s+-\s+word:2\* count:4\*\s+-\n\(component:task; \* not running yet\)\n/);
    assert.match(text, /\nword\s+spout\s+2(\s+-){9}\n/);
    assert.doesNotMatch(text, /user errors/);
  });

  it(`shows the ${SHOWN_ERRORS} most recent user errors`, () => {
    const many = Array.from({ length: 15 }, (_, n) => ({ ...(STATUS.exceptions?.[0] as NonNullable<TopologyStatus['exceptions']>[number]), message: `error ${n}` }));
    const text = renderTopologyStatus({ ...STATUS, exceptions: many, metrics: { available: true, intervalSeconds: 300, asOf: 'now' } });
    assert.match(text, /\n {2}metrics\s+over the last 300 s, as of now\n/);
    assert.match(text, /user errors \(the most recent last; 10 of 15;/);
    assert.doesNotMatch(text, /error 4\n/);
    assert.match(text, /error 5\n[^]*error 14\n$/);
  });

  it('orders user errors by their last time, not by when the topology manager heard of them', () => {
    const error = STATUS.exceptions?.[0] as NonNullable<TopologyStatus['exceptions']>[number];
    const at = (second: number) => `2023-11-14T22:14:${String(second).padStart(2, '0')}.000Z`;
    // The error that ended the process arrives first, with the ones it had not published; later ones after.
    const heard = [{ ...error, message: 'threw', lastTime: at(30) }, ...Array.from({ length: 12 }, (_, n) => ({ ...error, message: `reported ${n}`, lastTime: at(n < 6 ? n : n + 30) }))];
    const text = renderTopologyStatus({ ...STATUS, exceptions: heard });
    assert.match(text, /user errors \(the most recent last; 10 of 13;/);
    assert.match(text, /reported 3\n[^]*reported 5\n[^]*threw\n[^]*reported 6\n[^]*reported 11\n$/);
    assert.doesNotMatch(text, /reported 2\n/);
  });
});

describe('figures for people', () => {
  it('prints latencies with about three significant digits and durations in seconds', () => {
    assert.deepEqual([null, 0.00321, 1.234, 12.34, 123.4].map(formatLatency), ['-', '0.003 ms', '1.23 ms', '12.3 ms', '123 ms']);
    assert.deepEqual([0, 40, 1500, 61_000].map(formatDuration), ['0 s', '40 ms', '1.5 s', '61.0 s']);
  });
});
