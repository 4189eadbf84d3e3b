import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isRunning } from '../../runtime/executor/process-liveness.js';
import { waitFor } from '../helpers/wait-for.js';
import { DEADLINE_MS, dummyHarness, waitForAllGone, waitForContainer } from './executor-fixture.js';

describe('egret-executor supervising its container', () => {
  it('fetches the package over http, unpacks it, and starts every process of its container with its own log', async () => {
    const { harness } = await dummyHarness({ transport: 'http' });
    harness.startExecutors();
    for (const container of harness.containers) await waitForContainer(harness, container);
    assert.match(harness.packageUri, /^http:\/\/127\.0\.0\.1:\d+\/topology\.tar\.gz$/);

    const work = harness.workingDir(1);
    assert.deepEqual(readdirSync(join(work, 'package')).sort(), ['config.json', 'egret-package.json', 'topology.defn', 'topology.mjs']);
    assert.equal(existsSync(join(work, 'topology.tar.gz')), false, 'the download is removed once unpacked');
    assert.deepEqual(readdirSync(join(work, 'logs')).sort(), harness.processNames(1).map((name) => `${name}.log`).sort());

    const instance = harness.processNames(1).find((name) => name.startsWith('container_1_')) as string;
    const taskId = Number(instance.split('_').at(-1));
    const placed = harness.plan.containers.flatMap((c) => c.instances).find((i) => i.taskId === taskId);
    for (const name of [instance, 'stmgr-2', 'tmanager']) await waitFor(`${name} to print its arguments`, () => harness.readLog(name).includes('args='), DEADLINE_MS);
    assert.match(
      harness.readLog(instance),
      new RegExp(`args=${escape(JSON.stringify(['instance', '--package-dir', join(work, 'package'), '--container', '1', '--task-id', String(taskId), '--stmgr-endpoint', `unix-abstract:egret/${harness.topologyId}/stmgr-1`, '--component', placed?.component, '--component-index', String(placed?.componentIndex)]))}`),
    );
    assert.match(harness.readLog('stmgr-2'), new RegExp(`args=${escape(JSON.stringify(['stmgr', '--package-dir', join(harness.workingDir(2), 'package'), '--container', '2']))}`));
    assert.match(harness.readLog('tmanager'), new RegExp(`args=${escape(JSON.stringify(['tmanager', '--package-dir', join(harness.workingDir(0), 'package')]))}`));
    const lines = harness.executorLog(1).trim().split('\n');
    assert.ok(lines.every((line) => typeof (JSON.parse(line) as { message?: unknown }).message === 'string'), 'the executor logs JSON lines');
  });

  it('fetches the package over https', async () => {
    const { harness } = await dummyHarness({ transport: 'https' });
    assert.match(harness.packageUri, /^https:\/\/127\.0\.0\.1:\d+\/topology\.tar\.gz$/);
    harness.startExecutor(1);
    await waitForContainer(harness, 1);
    assert.equal(readdirSync(join(harness.workingDir(1), 'package')).length, 4);
  });

  it('restarts a SIGKILLed stream manager and logs the restart with the signal', async () => {
    const { harness } = await dummyHarness();
    harness.startExecutor(1);
    await waitForContainer(harness, 1);
    const restarted = await harness.killAndAwaitRestart('stmgr-1');
    assert.ok(isRunning(restarted));
    const died = harness
      .executorLog(1)
      .split('\n')
      .filter((line) => line.includes('process died; restarting'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      died.map((entry) => [entry['process'], entry['signal'], entry['restartInMs']]),
      [['stmgr-1', 'SIGKILL', 100]],
    );
    const log = harness.readLog('stmgr-1');
    assert.match(log, /start 1 of stmgr-1[^]*was killed by SIGKILL after \d+ ms; restarting in 100 ms[^]*start 2 of stmgr-1/);
  });

  it('on SIGTERM, stops every child within the grace period (SIGKILL for one that ignores SIGTERM) and exits 0', async () => {
    const { harness, behave } = await dummyHarness({ stopGraceMs: 1500 });
    behave({ 'stmgr-1': { ignoreTerm: true } });
    harness.startExecutor(1);
    const pids = await waitForContainer(harness, 1);
    await waitFor('the stream manager to have its SIGTERM handler', () => /dummy stmgr-1 pid=/.test(harness.readLog('stmgr-1')), DEADLINE_MS);
    const began = Date.now();
    const exit = await harness.killExecutor(1, 'SIGTERM');
    const took = Date.now() - began;
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(took >= 1400 && took < 1500 + 5000, `the executor took ${took} ms to stop with a 1500 ms grace period`);
    for (const [name, pid] of pids) assert.equal(isRunning(pid), false, `${name} is gone when the executor exits`);
    assert.match(harness.readLog('stmgr-1'), /SIGTERM \(ignored\)[^]*was killed by SIGKILL: stopped by the executor/);
    assert.deepEqual(readdirSync(join(harness.workingDir(1), 'pids')), []);
  });

  it('leaves no child behind when SIGKILLed itself: each child sees its IPC channel close and exits', async () => {
    const { harness, behave } = await dummyHarness();
    // A child that ignores SIGTERM still goes: the channel, not a signal, is what ends it.
    behave({ 'stmgr-1': { ignoreTerm: true } });
    harness.startExecutor(1);
    harness.startExecutor(0);
    const pids = new Map([...(await waitForContainer(harness, 1)), ...(await waitForContainer(harness, 0))]);
    assert.ok(pids.size >= 4);
    await harness.killExecutor(1, 'SIGKILL');
    await harness.killExecutor(0, 'SIGKILL');
    await waitForAllGone(pids.values(), 'the children of the SIGKILLed executors');
    assert.match(harness.readLog('stmgr-1'), /IPC channel closed, exiting/);
  });

  it('a new executor in the same working directory kills what its SIGKILLed predecessor left running', async () => {
    const { harness, behave } = await dummyHarness();
    behave({ 'stmgr-1': { ignoreDisconnect: true } });
    harness.startExecutor(1);
    const first = await waitForContainer(harness, 1);
    // The stubborn child must have read its behaviour before the file changes below.
    await waitFor('the stream manager to say hello', () => /dummy stmgr-1 pid=\d+ args=/.test(harness.readLog('stmgr-1')), DEADLINE_MS);
    await harness.killExecutor(1, 'SIGKILL');
    const stuck = first.get('stmgr-1') as number;
    await waitForAllGone([...first].filter(([name]) => name !== 'stmgr-1').map(([, pid]) => pid), 'the children that honour the channel');
    assert.equal(isRunning(stuck), true, 'the stubborn child outlived its executor');
    behave({});
    harness.startExecutor(1);
    await waitForAllGone([stuck], 'the leftover stream manager');
    const second = await waitForContainer(harness, 1);
    assert.notEqual(second.get('stmgr-1'), stuck);
    const log = harness.executorLog(1);
    assert.match(log, /killing a process a previous executor left running.*"process":"stmgr-1"/, `the executor's log:\n${log}\nstmgr-1's log:\n${harness.readLog('stmgr-1')}`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
