import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeStmgr, type FakeStmgrOptions } from '../helpers/fake-stmgr.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildInstancePackage, startInstance, type InstanceProcess, type StartInstanceOptions } from './instance-harness.js';
import { progressOf, waitUntilStill } from './spout-progress.js';
import { TEST_TOPOLOGY_SOURCE } from './test-topology.js';

async function spoutSetup(config: Record<string, string | number> = {}, stmgrOptions: Partial<FakeStmgrOptions> = {}, instanceOptions: Partial<StartInstanceOptions> = {}) {
  // Not tempDir(): the directory must outlive the instance writing into it, which is killed by a later hook.
  const progressDir = mkdtempSync(join(tmpdir(), 'egret-progress-'));
  const progress = join(progressDir, 'progress');
  const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, { 'test.progress.file': progress, ...config });
  const stmgr = await FakeStmgr.start({ topology: pkg.topology, topologyId: pkg.topologyId, ...stmgrOptions });
  after(() => stmgr.close());
  const instance = startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task: stmgr.task('numbers'), ...instanceOptions });
  after(() => rmSync(progressDir, { recursive: true, force: true, maxRetries: 3 }));
  return { pkg, stmgr, instance, progress };
}

const lifecycle = (stmgr: FakeStmgr): unknown[] => stmgr.tuplesOn('lifecycle').map((t) => t.values[0]);

async function expectFailure(instance: InstanceProcess, match: RegExp): Promise<Record<string, unknown>> {
  const { code } = await instance.waitForExit();
  assert.equal(code, 1, instance.output.join('\n'));
  const line = instance.logs.find((l) => l.level === 'error' && match.test(l.message));
  assert.ok(line, `an error log matching ${match}:\n${instance.output.join('\n')}`);
  return line;
}

describe('egret-instance running a spout', () => {
  it('registers, opens and activates the spout, and its emits reach the stream manager in order, batched', async () => {
    const { stmgr, instance } = await spoutSetup({ 'test.spout.limit': 5000 });
    await waitFor('5000 tuples', () => stmgr.tuplesOn('default').length >= 5000, 15_000);
    const [registration] = stmgr.registrations;
    assert.equal(registration?.instance.instanceId, 'container_1_numbers_1');
    assert.equal(registration?.instance.stmgrId, 'stmgr-1');
    assert.deepEqual([registration?.instance.info.componentName, registration?.instance.info.componentIndex], ['numbers', 0]);
    assert.equal(registration?.topologyName, 'instance-test');
    const tuples = stmgr.tuplesOn('default');
    assert.deepEqual(
      tuples.map((t) => t.values[0]),
      Array.from({ length: 5000 }, (_, i) => i),
    );
    assert.ok(tuples.every((t) => t.srcTaskId === 1 && t.component === 'numbers' && t.destTaskIds.length === 0));
    assert.deepEqual(lifecycle(stmgr), ['open:numbers:1:2,3', 'activate']);
    assert.ok(stmgr.frames < 100, `tuples are batched (${stmgr.frames} frames)`);
    await instance.waitForLog('started', (line) => line.message === 'spout started');
  });

  it('sends emitDirect tuples with their task in dest_task_ids', async () => {
    const { stmgr } = await spoutSetup({ 'test.spout.mode': 'direct', 'test.spout.limit': 100 });
    await waitFor('100 direct tuples', () => stmgr.tuplesOn('direct').length >= 100, 15_000);
    for (const tuple of stmgr.tuplesOn('direct')) assert.deepEqual(tuple.destTaskIds, [2 + ((tuple.values[0] as number) % 2)]);
  });

  it("puts the custom grouping's choice in dest_task_ids", async () => {
    const { stmgr } = await spoutSetup({ 'test.spout.mode': 'custom', 'test.spout.limit': 60 });
    await waitFor('60 custom tuples', () => stmgr.tuplesOn('custom').length >= 60, 15_000);
    for (const tuple of stmgr.tuplesOn('custom')) {
      const n = tuple.values[0] as number;
      const expected = n % 3 === 2 ? [] : n % 5 === 0 ? [2, 3] : [2 + (n % 2)];
      assert.deepEqual(tuple.destTaskIds, expected, `tuple ${n}`);
    }
  });

  it('acks a tuple with a message id at once under ATMOST_ONCE', async () => {
    const { stmgr } = await spoutSetup({ 'test.spout.mode': 'message-ids', 'test.spout.limit': 50 });
    await waitFor('50 acks', () => stmgr.tuplesOn('acks').length >= 50, 15_000);
    assert.deepEqual(
      stmgr.tuplesOn('acks').map((t) => t.values[0]),
      Array.from({ length: 50 }, (_, i) => `m${i}`),
    );
  });

  it('moves large tuples through frames larger than its buffers', async () => {
    const { stmgr } = await spoutSetup({ 'test.spout.mode': 'big', 'test.spout.limit': 30 });
    await waitFor('30 big tuples', () => stmgr.tuplesOn('big').length >= 30, 15_000);
    stmgr.tuplesOn('big').forEach((tuple, n) => assert.deepEqual(tuple.values[0], Buffer.alloc(200_000, n)));
  });

  it('stops calling nextTuple within a second of a PAUSED plan, and resumes on RUNNING', async () => {
    const { stmgr, progress } = await spoutSetup({ 'test.spout.interval.ms': 1 });
    await waitFor('the spout counting', () => progressOf(progress) > 100, 15_000);
    const pausedAt = Date.now();
    stmgr.setState('PAUSED');
    const stoppedAt = await waitUntilStill(progress, 300, 5_000);
    assert.ok(Date.now() - 300 - pausedAt < 1000, `nextTuple stopped ${Date.now() - 300 - pausedAt} ms after the PAUSED plan`);
    await waitFor('deactivate', () => lifecycle(stmgr).includes('deactivate'), 5_000);
    stmgr.setState('RUNNING');
    await waitFor('the spout counting again', () => progressOf(progress) > stoppedAt + 100, 5_000);
    await waitFor('activate again', () => lifecycle(stmgr).filter((e) => e === 'activate').length === 2, 5_000);
    assert.deepEqual(lifecycle(stmgr).slice(1), ['activate', 'deactivate', 'activate']);
  });

  it('opens but does not activate a spout of a topology deployed PAUSED', async () => {
    const { stmgr, progress } = await spoutSetup({ 'test.spout.limit': 1000 }, { state: 'PAUSED' });
    await waitFor('open', () => lifecycle(stmgr).length === 1, 15_000);
    await waitFor('the progress file', () => progressOf(progress) === 0, 5_000);
    stmgr.setState('RUNNING');
    await waitFor('the tuples', () => stmgr.tuplesOn('default').length === 1000, 5_000);
    assert.equal(stmgr.tuplesOn('default')[0]?.values[0], 0);
    assert.deepEqual(lifecycle(stmgr).slice(1), ['activate']);
  });

  it('stops calling nextTuple while the stream manager does not read, holding bounded memory, and loses nothing', async () => {
    const { stmgr, instance, progress } = await spoutSetup({ 'test.spout.limit': 400_000 });
    await waitFor('the spout counting', () => progressOf(progress) > 10_000, 15_000);
    stmgr.pauseReading();
    const stoppedAt = await waitUntilStill(progress, 500, 10_000);
    const rss = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${instance.child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    const rssStopped = rss();
    assert.ok(rssStopped < 200 * 1024 * 1024, `RSS ${rssStopped} bytes while blocked`);
    assert.equal(progressOf(progress), stoppedAt, 'nextTuple is not called while the socket is full');
    stmgr.resumeReading();
    await waitFor('every tuple', () => stmgr.tuplesOn('default').length === 400_000, 30_000);
    const values = stmgr.tuplesOn('default').map((t) => t.values[0] as number);
    assert.ok(
      values.every((v, i) => v === i),
      'every tuple arrives once, in order',
    );
  });

  it('closes cleanly on SIGTERM when started without IPC: deactivate, close, exit 0', async () => {
    const { stmgr, instance } = await spoutSetup({ 'test.spout.limit': 10 }, {}, { ipc: false });
    await waitFor('activate', () => lifecycle(stmgr).includes('activate'), 15_000);
    instance.child.kill('SIGTERM');
    const { code } = await instance.waitForExit();
    assert.equal(code, 0, instance.output.join('\n'));
    await waitFor('close', () => lifecycle(stmgr).includes('close'), 5_000);
    assert.deepEqual(lifecycle(stmgr).slice(1), ['activate', 'deactivate', 'close']);
  });

  it('exits when its IPC channel to the executor closes', async () => {
    const { stmgr, instance } = await spoutSetup({ 'test.spout.limit': 10 });
    await waitFor('activate', () => lifecycle(stmgr).includes('activate'), 15_000);
    instance.child.disconnect();
    await instance.waitForExit(5_000);
    await instance.waitForLog('the stop', (line) => line.message === 'stopping' && String(line['reason']).includes('IPC'));
  });

  it('exits non-zero when the stream manager refuses the registration, with its message', async () => {
    const { instance } = await spoutSetup({}, { refuse: 'task 1 is not a task of stmgr-1' });
    await expectFailure(instance, /refused the registration \(NOTOK\): task 1 is not a task of stmgr-1/);
  });

  it('exits non-zero when the stream manager connection is lost', async () => {
    const { stmgr, instance } = await spoutSetup({ 'test.spout.interval.ms': 1 });
    await waitFor('tuples', () => stmgr.tuplesOn('default').length > 0, 15_000);
    stmgr.dropConnections();
    await expectFailure(instance, /lost the stream manager connection/);
  });

  it('exits non-zero, naming the component and task and the stack, when nextTuple throws', async () => {
    const { instance } = await spoutSetup({ 'test.spout.mode': 'throw' });
    const line = await expectFailure(instance, /component 'numbers' task 1: nextTuple failed: spout exploded at 5/);
    assert.equal(line['component'], 'numbers');
    assert.equal(line['task'], 1);
    assert.match(String(line['stack']), /spout exploded at 5\n\s+at NumberSpout\.nextTuple/);
  });

  it('refuses emitDirect to a task that is no direct subscriber, naming the stream', async () => {
    const { instance } = await spoutSetup({ 'test.spout.mode': 'bad-direct' });
    await expectFailure(instance, /cannot emit on stream 'direct': task 9999 is not a task of a direct subscriber of stream 'direct' \(tasks: 2, 3\)/);
  });

  it('refuses a value the serializer cannot take, naming the component, stream and field', async () => {
    const { instance } = await spoutSetup({ 'test.spout.mode': 'unserializable' });
    await expectFailure(instance, /component 'numbers' task 1: nextTuple failed: component 'numbers' task 1: cannot emit on stream 'default': field 'n' of stream 'default': a function \(callback\) at \.callback cannot be serialized/);
  });

  it('registers without --component, learning its component from the plan', async () => {
    const { stmgr } = await spoutSetup({ 'test.spout.limit': 10 }, {}, { withoutComponent: true });
    await waitFor('10 tuples', () => stmgr.tuplesOn('default').length >= 10, 15_000);
    assert.equal(stmgr.registrations[0]?.instance.info.componentName, '');
  });
});
