import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import { heron } from '../../core/proto/index.js';
import { localSocketPath } from '../../runtime/common/local-endpoint.js';
import { encodeFrame } from '../../runtime/protocol/frames.js';
import { waitUntil } from '../helpers/runtime-processes.js';
import { closeRuntimeTestStates } from '../helpers/runtime-test-package.js';
import { MetricsManagerHarness, PROCESS_START_MS, PROMPTLY_MS } from './metricsmgr-harness.js';
import { sampleValue } from './prometheus-text.js';

const harness = new MetricsManagerHarness();
afterEach(() => harness.cleanUp());
after(() => closeRuntimeTestStates());

const INTERVAL_MS = 200;
const LOCAL_SINKS = { 'egret.metrics.interval.ms': INTERVAL_MS, 'egret.metricsmgr.sinks': ['file', 'prometheus'] };
const WORDS = { component: 'words', instanceId: 'container_1_words_1', instanceIndex: 0 };
const COUNTER = { component: 'counter', instanceId: 'container_1_counter_3', instanceIndex: 0 };

type Publisher = { counters: Record<string, number>; gauges: Record<string, number>; latencies: Record<string, number>; instanceId: string };

describe('egret-metricsmgr', () => {
  it('keeps counter totals, the latest gauges and latencies per publisher, and appends one JSON line every interval', async () => {
    const mm = await harness.start(await harness.writePackage(LOCAL_SINKS));
    const words = await mm.publisher(WORDS);
    const counter = await mm.publisher(COUNTER);
    words.publish({ '__emit-count/default': 10, '__out-queue-depth': 4 });
    words.publish({ '__emit-count/default': 15, '__out-queue-depth': 1 });
    counter.publish({ '__execute-count/words/default': 20, '__execute-latency/words/default': 0.4 });
    const byInstance = (line: Record<string, unknown>) => new Map((line['publishers'] as Publisher[]).map((p) => [p.instanceId, p]));
    const done = await waitUntil(
      'a line with both publishers’ totals',
      () => mm.fileLines().find((line) => byInstance(line).get(WORDS.instanceId)?.counters['__emit-count/default'] === 25 && byInstance(line).has(COUNTER.instanceId)),
      PROMPTLY_MS,
    );
    const publishers = byInstance(done);
    assert.deepEqual(publishers.get(WORDS.instanceId)?.gauges, { '__out-queue-depth': 1 });
    assert.deepEqual(publishers.get(COUNTER.instanceId)?.counters, { '__execute-count/words/default': 20 });
    assert.deepEqual(publishers.get(COUNTER.instanceId)?.latencies, { '__execute-latency/words/default': 0.4 });
    assert.deepEqual([done['topology'], done['topologyId'], done['container']], ['wc', mm.pkg.topologyId, 1]);

    // A line per interval, published to or not.
    const lines = await waitUntil('three more lines', () => (mm.fileLines().length >= mm.fileLines().indexOf(done) + 4 ? mm.fileLines() : undefined), PROMPTLY_MS);
    const times = lines.map((line) => line['timestampMs'] as number);
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] as number) - (times[i - 1] as number);
      assert.ok(gap >= INTERVAL_MS - 20 && gap < INTERVAL_MS + 3000, `lines ${i - 1} and ${i} are ${gap} ms apart for an interval of ${INTERVAL_MS} ms`);
    }
    assert.equal(byInstance(lines.at(-1)!).get(WORDS.instanceId)?.counters['__emit-count/default'], 25, 'totals stay');
  });

  it('serves Prometheus over HTTP with the documented names and labels; counters match what was published and only go up', async () => {
    const mm = await harness.start(await harness.writePackage(LOCAL_SINKS));
    assert.ok(mm.info.prometheus && mm.info.prometheus.port > 0, 'the OS-chosen port is in metricsmgr.json');
    const serving = mm.process.logs.find((l) => l.message === 'metrics manager serving');
    assert.deepEqual(serving?.['prometheus'], mm.info.prometheus, 'and in the log');
    const words = await mm.publisher(WORDS);
    const stmgr = await mm.publisher({ component: '__stmgr__', instanceId: 'stmgr-1', instanceIndex: 0 });
    const labels = { topology: 'wc', component: 'words', instance: 'container_1_words_1', task: '1', stream: 'default' };
    const seen: number[] = [];
    let published = 0;
    for (const increase of [5, 7, 0, 11]) {
      published += increase;
      words.publish({ '__emit-count/default': increase, '__complete-latency/default': 8, '__ack-count/default': increase });
      const scrape = await waitUntil(`the endpoint to show ${published} emitted`, async () => {
        const s = await mm.scrape();
        return sampleValue(s, 'egret_emitted_tuples_total', labels) === published ? s : undefined;
      }, PROMPTLY_MS);
      seen.push(sampleValue(scrape, 'egret_emitted_tuples_total', labels) as number);
      assert.equal(sampleValue(scrape, 'egret_acked_tuples_total', labels), published);
      assert.equal(sampleValue(scrape, 'egret_complete_latency_seconds', labels), 0.008);
    }
    assert.deepEqual(seen, [5, 12, 12, 23]);
    const emitted = (await mm.scrape()).samples.find((s) => s.name === 'egret_emitted_tuples_total');
    assert.deepEqual(Object.keys(emitted?.labels ?? {}).sort(), ['component', 'instance', 'stream', 'task', 'topology']);

    stmgr.publish({ '__connection-tuples-out/stmgr-2': 40, '__time_spent_back_pressure_by_compid/container_1_counter_3': 2500, '__back-pressure': 1 });
    const scrape = await waitUntil('the stream manager’s metrics', async () => {
      const s = await mm.scrape();
      return sampleValue(s, 'egret_stmgr_back_pressure', { stmgr: 'stmgr-1' }) === 1 ? s : undefined;
    }, PROMPTLY_MS);
    assert.equal(sampleValue(scrape, 'egret_stmgr_connection_tuples_total', { topology: 'wc', stmgr: 'stmgr-1', direction: 'out', connection: 'stmgr-2' }), 40);
    assert.equal(sampleValue(scrape, 'egret_stmgr_back_pressure_seconds_total', { stmgr: 'stmgr-1', cause: 'container_1_counter_3' }), 2.5);
    assert.equal(scrape.types.get('egret_stmgr_back_pressure_seconds_total'), 'counter');
  });

  it('drops a publisher that sends garbage, and the others keep publishing', async () => {
    const mm = await harness.start(await harness.writePackage(LOCAL_SINKS));
    const words = await mm.publisher(WORDS);
    const labels = { component: 'words', stream: 'default' };
    words.publish({ '__emit-count/default': 3 });
    await waitUntil('the first publish', async () => sampleValue(await mm.scrape(), 'egret_emitted_tuples_total', labels) === 3, PROMPTLY_MS);

    const path = localSocketPath(mm.endpoint) as string;
    const register = heron.proto.system.MetricPublisherRegisterRequest.encode({ publisher: { hostname: 'h', port: 0, componentName: 'counter', instanceId: 'container_1_counter_3', instanceIndex: 0 } }).finish();
    const bad: Array<[string, Buffer[]]> = [
      ['bytes that are no frame', [Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4])]],
      ['a publish before registering', [Buffer.from(encodeFrame('heron.proto.system.MetricPublisherPublishMessage', new Uint8Array()))]],
      [
        'a payload that does not decode',
        [Buffer.from(encodeFrame('heron.proto.system.MetricPublisherRegisterRequest', register)), Buffer.from(encodeFrame('heron.proto.system.MetricPublisherPublishMessage', Uint8Array.from([0x0a, 0xff, 0x01])))],
      ],
    ];
    for (const [what, frames] of bad) {
      const socket = await opened(path);
      for (const frame of frames) socket.write(frame);
      await waitUntil(`the metrics manager to close the connection that sent ${what}`, () => socket.closed, PROMPTLY_MS);
      socket.destroy();
    }
    const closes = await waitUntil(
      'three closes logged',
      () => {
        const found = mm.process.logs.filter((l) => l.message === 'publisher connection closed' && l.level === 'warn');
        return found.length >= 3 ? found : undefined;
      },
      PROMPTLY_MS,
    );
    assert.match(String(closes[0]?.['reason']), /malformed frame/);
    assert.match(String(closes[1]?.['reason']), /expected heron\.proto\.system\.MetricPublisherRegisterRequest first/);
    assert.match(String(closes[2]?.['reason']), /MetricPublisherPublishMessage does not decode/);
    assert.equal(closes[2]?.['instance'], 'container_1_counter_3');

    words.publish({ '__emit-count/default': 4 });
    await waitUntil('the good publisher’s next publish', async () => sampleValue(await mm.scrape(), 'egret_emitted_tuples_total', labels) === 7, PROMPTLY_MS);
    assert.ok(words.client.connected, 'the good publisher was never dropped');
  });

  it('on SIGTERM flushes once more and exits 0; it also exits when its executor goes away', async () => {
    const pkg = await harness.writePackage({ 'egret.metrics.interval.ms': 600_000, 'egret.metricsmgr.sinks': ['file', 'prometheus'], 'egret.metricsmgr.file.path': 'out/m.jsonl' });
    const mm = await harness.start(pkg);
    const words = await mm.publisher(WORDS);
    words.publish({ '__emit-count/default': 42 });
    // The scrape shows when the publish has arrived; the file has had no interval yet.
    await waitUntil('the publish to arrive', async () => sampleValue(await mm.scrape(), 'egret_emitted_tuples_total', { component: 'words' }) === 42, PROMPTLY_MS);
    assert.deepEqual(mm.fileLines('out/m.jsonl'), []);
    await mm.process.kill('SIGTERM');
    assert.equal(await mm.process.exit(), 0);
    const lines = mm.fileLines('out/m.jsonl');
    assert.equal(lines.length, 1, 'only the last flush, the interval being long');
    assert.equal((lines[0]?.['publishers'] as Publisher[])[0]?.counters['__emit-count/default'], 42);

    const orphan = await harness.start(pkg);
    orphan.process.child.disconnect();
    assert.equal(await waitUntil('the metrics manager to exit', async () => (orphan.process.hasExited ? orphan.process.exit() : undefined), PROCESS_START_MS), 0);
    assert.ok(orphan.process.logs.some((l) => l.message === 'shutting down' && /IPC channel closed/.test(String(l['reason']))));
  });

  it('exits 2 for a bad command line and 1, naming the key, for a bad sink', async () => {
    const usage = harness.spawnRaw(['--package-dir', '/nowhere']);
    assert.equal(await usage.exit(), 2);
    assert.match(usage.rawOutput.join('\n'), /--container is required\nusage: egret-metricsmgr --package-dir DIR --container C --working-dir DIR/);
    const pkg = await harness.writePackage();
    const configFile = join(pkg.dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...(JSON.parse(readFileSync(configFile, 'utf8')) as object), 'egret.metricsmgr.sinks': ['graphite'] }));
    const bad = harness.spawnRaw(['--package-dir', pkg.dir, '--container', '1', '--working-dir', pkg.dir]);
    assert.equal(await bad.exit(), 1);
    const refusal = bad.logs.find((l) => l.message === 'the metrics manager cannot start');
    assert.match(String(refusal?.['error']), /egret\.metricsmgr\.sinks: expected 'tmanager', 'file' or 'prometheus'/, bad.describeOutput());
  });
});

async function opened(path: string): Promise<Socket> {
  const socket = connect(path);
  socket.on('error', () => undefined);
  // Read (and drop) what comes back, so that the end of the stream is seen.
  socket.resume();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}
