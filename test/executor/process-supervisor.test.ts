import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isRunning } from '../../runtime/executor/process-liveness.js';
import { waitFor } from '../helpers/wait-for.js';
import { specs, supervisionFixture, type TimedEvent } from './supervision-fixture.js';

/** Spawning Node on a busy 2-core machine; every wait below ends on a condition well before this. */
const DEADLINE_MS = 20_000;

const startsOf = (events: readonly TimedEvent[], name: string) => events.filter((e) => e.type === 'started' && e.name === name);
const exitsOf = (events: readonly TimedEvent[], name: string) => events.filter((e) => e.type === 'exited' && e.name === name);

describe('ProcessSupervisor with dummy children', () => {
  it('restarts a dying process with doubling delays capped at the maximum, and logs every start and death', async () => {
    const { supervisor, files, events, behave } = supervisionFixture({ minMs: 100, maxMs: 400, resetAfterMs: 60_000 });
    behave({ 'stmgr-1': { exitAfterMs: 0, exitCode: 3 } });
    await supervisor.apply(specs('stmgr-1'));
    await waitFor('five deaths', () => exitsOf(events, 'stmgr-1').length >= 5, DEADLINE_MS);
    await supervisor.stopAll();

    const exits = exitsOf(events, 'stmgr-1');
    assert.deepEqual(exits.slice(0, 5).map((e) => e.type === 'exited' && e.restartInMs), [100, 200, 400, 400, 400]);
    assert.ok(exits.every((e) => e.type === 'exited' && e.code === 3 && e.signal === null));
    // Each restart waits at least its delay (timers never fire early); the upper bound is loose for a busy machine.
    const starts = startsOf(events, 'stmgr-1');
    for (let i = 0; i < 4; i++) {
      const exit = exits[i] as TimedEvent & { restartInMs: number };
      const waited = (starts[i + 1] as TimedEvent).at - exit.at;
      assert.ok(waited >= exit.restartInMs - 5 && waited < exit.restartInMs + 3000, `restart ${i + 1} waited ${waited} ms for a delay of ${exit.restartInMs} ms`);
    }

    const log = readFileSync(files.logPath('stmgr-1'), 'utf8');
    const markers = log.split('\n').filter((line) => line.startsWith('[egret-executor '));
    assert.equal(markers.filter((line) => / start \d+ of stmgr-1: .*dummy-child\.js stmgr --name stmgr-1$/.test(line)).length, starts.length);
    assert.match(log, /\] stmgr-1 \(pid \d+\) exited with code 3 after \d+ ms; restarting in 100 ms\n/);
    assert.match(log, /\] stmgr-1 \(pid \d+\) exited with code 3 after \d+ ms; restarting in 400 ms\n/);
    assert.equal(log.match(/^dummy stmgr-1 pid=\d+ args=/gm)?.length, starts.length, 'the child’s own output lands in its log, once per start');
    const restartCounts = [...log.matchAll(/^dummy stmgr-1 pid=\d+ args=.* restarts=(\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual(restartCounts, starts.map((_, i) => String(i)), 'EGRET_RESTART_COUNT: 0 on the first start, then one more per restart');
    assert.match(log, /exiting with 3 as told/, 'stderr too');
  });

  it('starts again from the minimum delay after a run longer than the reset threshold', async () => {
    const { supervisor, events, behave } = supervisionFixture({ minMs: 50, maxMs: 800, resetAfterMs: 250 });
    behave({ 'container_1_a_1': { exitAfterMs: 400, exitCode: 1 } });
    await supervisor.apply(specs('container_1_a_1'));
    await waitFor('three deaths', () => exitsOf(events, 'container_1_a_1').length >= 3, DEADLINE_MS);
    await supervisor.stopAll();
    assert.deepEqual(exitsOf(events, 'container_1_a_1').slice(0, 3).map((e) => e.type === 'exited' && e.restartInMs), [50, 50, 50]);
  });

  it('restarts a process whose command cannot start, with backoff', async () => {
    const fixture = supervisionFixture({
      minMs: 50,
      maxMs: 100,
      commands: { tmanager: { command: '/nonexistent/egret-tmanager', args: [] }, stmgr: { command: '/nonexistent', args: [] }, metricsmgr: { command: '/nonexistent', args: [] }, instance: { command: '/nonexistent', args: [] } },
    });
    await fixture.supervisor.apply(specs('tmanager'));
    await waitFor('three failed starts', () => exitsOf(fixture.events, 'tmanager').length >= 3, DEADLINE_MS);
    await fixture.supervisor.stopAll();
    assert.deepEqual(exitsOf(fixture.events, 'tmanager').slice(0, 3).map((e) => e.type === 'exited' && e.restartInMs), [50, 100, 100]);
    assert.match(readFileSync(fixture.files.logPath('tmanager'), 'utf8'), /tmanager could not start \(spawn \/nonexistent\/egret-tmanager ENOENT\) after \d+ ms; restarting in 50 ms/);
  });

  it('stops every child on stopAll: SIGTERM, then SIGKILL for one that ignores it once the grace period is over', async () => {
    const { supervisor, files, events, behave } = supervisionFixture({ minMs: 100, maxMs: 400, stopGraceMs: 600 });
    behave({ 'container_1_stubborn_2': { ignoreTerm: true } });
    await supervisor.apply(specs('stmgr-1', 'container_1_polite_1', 'container_1_stubborn_2'));
    await waitFor('three children to say hello', () => ['stmgr-1', 'container_1_polite_1', 'container_1_stubborn_2'].every((n) => /dummy \S+ pid=/.test(readIfAny(files.logPath(n)))), DEADLINE_MS);
    const pids = new Map(['stmgr-1', 'container_1_polite_1', 'container_1_stubborn_2'].map((name) => [name, supervisor.pidOf(name) as number]));
    assert.deepEqual([...files.readPids()].sort(), [...pids].sort(), 'the pid files name the live children');

    const began = Date.now();
    await supervisor.stopAll();
    const took = Date.now() - began;
    assert.ok(took >= 590 && took < 600 + 5000, `stopAll took ${took} ms for a 600 ms grace period`);
    for (const [name, pid] of pids) assert.equal(isRunning(pid), false, `${name} (pid ${pid}) is gone`);
    assert.deepEqual([...files.readPids()], [], 'no pid file is left');
    const byName = new Map(events.filter((e) => e.type === 'exited').map((e) => [e.name, e]));
    assert.equal(byName.get('container_1_stubborn_2')?.type === 'exited' && byName.get('container_1_stubborn_2')?.signal, 'SIGKILL');
    assert.equal(byName.get('container_1_polite_1')?.type === 'exited' && byName.get('container_1_polite_1')?.code, 0);
    assert.ok(events.filter((e) => e.type === 'exited').every((e) => e.type === 'exited' && e.restartInMs === undefined), 'nothing restarts');
    assert.match(readFileSync(files.logPath('container_1_stubborn_2'), 'utf8'), /SIGTERM \(ignored\)\n[^]*was killed by SIGKILL: stopped by the executor/);
  });

  it('applies a new set: stops what left it, starts what joined it, leaves the rest running', async () => {
    const { supervisor, events } = supervisionFixture({ minMs: 100, maxMs: 400 });
    assert.deepEqual(await supervisor.apply(specs('stmgr-1', 'container_1_a_1', 'container_1_b_2')), { started: ['stmgr-1', 'container_1_a_1', 'container_1_b_2'], stopped: [] });
    await waitFor('three starts', () => events.filter((e) => e.type === 'started').length === 3, DEADLINE_MS);
    const stmgr = supervisor.pidOf('stmgr-1') as number;
    const removed = supervisor.pidOf('container_1_a_1') as number;
    assert.deepEqual(await supervisor.apply(specs('stmgr-1', 'container_1_b_2', 'container_1_c_3')), { started: ['container_1_c_3'], stopped: ['container_1_a_1'] });
    assert.equal(isRunning(removed), false, 'apply waits for the removed process to exit');
    assert.equal(supervisor.pidOf('stmgr-1'), stmgr);
    assert.deepEqual(supervisor.names, ['container_1_b_2', 'container_1_c_3', 'stmgr-1']);
    await supervisor.stopAll();
    assert.deepEqual(await supervisor.apply(specs('stmgr-1')), { started: [], stopped: [] }, 'a stopped supervisor starts nothing');
  });
});

function readIfAny(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
