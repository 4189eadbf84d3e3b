import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { packingPlanFromProto } from '../../core/proto/index.js';
import { SchedulerError } from '../../core/spi/scheduler.js';
import { packingPlanOf } from '../helpers/runtime-plans.js';
import { waitFor } from '../helpers/wait-for.js';
import { DEADLINE_MS, localSchedulerFixture, TWO_CONTAINERS, waitForGone } from './local-fixture.js';
import { LocalWorkingDirectory } from '../../schedulers/local/local-working-directory.js';
import { isAlive } from '../../schedulers/local/process-termination.js';

const KILL = { topologyName: 't' };

describe('LocalScheduler with dummy executors', () => {
  it('starts an executor per container, container 0 included, each in its own directory, and links the working directory', async () => {
    const { scheduler, dir } = await localSchedulerFixture();
    await scheduler.onSchedule(TWO_CONTAINERS);
    for (const container of [0, 1, 2]) await fixtureRunning(dir, container);
    assert.deepEqual([...dir.executorPids().keys()].sort(), [0, 1, 2]);
    assert.deepEqual(dir.containerDirs(), [0, 1, 2]);
    assert.deepEqual(scheduler.jobLinks(), [pathToFileURL(dir.root).href]);
    await scheduler.onKill(KILL);
  });

  it('restarts an executor killed with SIGKILL, whose child dies with it', async () => {
    const fixture = await localSchedulerFixture();
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    const before = await fixture.running(1);
    process.kill(before.executor, 'SIGKILL');
    const after = await fixture.running(1, before.executor);
    assert.notEqual(after.child, before.child);
    await waitForGone([before.child], 'the child of the SIGKILLed executor');
    assert.ok(fixture.events.some((e) => e.type === 'exited' && e.container === 1 && e.signal === 'SIGKILL' && e.restartInMs !== undefined));
    await fixture.scheduler.onKill(KILL);
  });

  it('does not restart an executor that exits 0 on its own (its container left the plan)', async () => {
    const fixture = await localSchedulerFixture();
    fixture.behave({ 2: { exitAfterMs: 300, exitCode: 0 } });
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    await waitFor('executor 2 to end', () => fixture.events.some((e) => e.type === 'exited' && e.container === 2 && e.code === 0), DEADLINE_MS);
    fixture.behave({});
    assert.equal(fixture.dir.executorPids().has(2), false, 'its pid file is gone');
    assert.equal(fixture.events.filter((e) => e.type === 'started' && e.container === 2).length, 1);
    // A restart on request revives it.
    await fixture.scheduler.onRestart({ topologyName: 't', containerId: 2 });
    await fixture.running(2);
    await fixture.scheduler.onKill(KILL);
  });

  it('restarts one container, or all of them, and refuses a container the topology lacks', async () => {
    const fixture = await localSchedulerFixture();
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    const first = new Map(await Promise.all([0, 1, 2].map(async (c) => [c, await fixture.running(c)] as const)));
    await fixture.scheduler.onRestart({ topologyName: 't', containerId: 1 });
    const second = await fixture.running(1, first.get(1)?.executor);
    assert.equal(fixture.dir.executorPids().get(0), first.get(0)?.executor, 'container 0 is untouched');
    assert.equal(fixture.dir.executorPids().get(2), first.get(2)?.executor, 'container 2 is untouched');
    await waitForGone([first.get(1)?.executor as number, first.get(1)?.child as number], 'the old executor 1 and its child');
    await fixture.scheduler.onRestart({ topologyName: 't' });
    for (const container of [0, 2]) await fixture.running(container, first.get(container)?.executor);
    await fixture.running(1, second.executor);
    await assert.rejects(fixture.scheduler.onRestart({ topologyName: 't', containerId: 7 }), (error: unknown) => error instanceof SchedulerError && error.code === 'SCHEDULER_UNKNOWN_CONTAINER' && /no container 7 \(containers: 0, 1, 2\)/.test(error.message));
    await fixture.scheduler.onKill(KILL);
  });

  it('adds and removes containers; container 0 cannot be removed', async () => {
    const fixture = await localSchedulerFixture();
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    const third = packingPlanOf('t-1', { 3: [['words', 5, 2]] }).containers;
    assert.deepEqual(await fixture.scheduler.addContainers(third), third);
    const added = await fixture.running(3);
    await assert.rejects(fixture.scheduler.addContainers(third), { code: 'SCHEDULER_UPDATE_FAILED', message: /container\(s\) 3 already run/ });
    const two = await fixture.running(2);
    await fixture.scheduler.removeContainers([...third, TWO_CONTAINERS.containers[1] as (typeof third)[number]]);
    for (const pid of [added.executor, added.child, two.executor, two.child]) assert.equal(isAlive(pid), false, `pid ${pid} is gone when removeContainers resolves`);
    assert.deepEqual([...fixture.dir.executorPids().keys()].sort(), [0, 1]);
    await assert.rejects(fixture.scheduler.removeContainers([{ ...third[0], id: 0 } as (typeof third)[number]]), { code: 'SCHEDULER_UPDATE_FAILED', message: /container 0/ });
    await fixture.scheduler.onKill(KILL);
  });

  it('applies an update: the new container runs before the plan changes, the old one goes after', async () => {
    const fixture = await localSchedulerFixture();
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    const proposed = packingPlanOf('t-1', { 1: [['words', 1, 0], ['count', 3, 0], ['words', 2, 1]], 3: [['count', 4, 1]] });
    const two = await fixture.running(2);
    await fixture.scheduler.onUpdate({ topologyName: 't', current: TWO_CONTAINERS, proposed });
    assert.deepEqual(packingPlanFromProto(await fixture.state.get('packingplans', 't')), proposed);
    await fixture.running(3);
    assert.equal(isAlive(two.executor), false);
    assert.deepEqual([...fixture.dir.executorPids().keys()].sort(), [0, 1, 3]);
    await assert.rejects(fixture.scheduler.onUpdate({ topologyName: 't', current: TWO_CONTAINERS, proposed }), { code: 'SCHEDULER_UPDATE_FAILED', message: /changed since this update was computed/ });
    await fixture.scheduler.onKill(KILL);
  });

  it('kills every executor and child, SIGKILLing one that ignores SIGTERM after the grace period', async () => {
    const fixture = await localSchedulerFixture({ config: { 'egret.scheduler.local.kill.grace.ms': 300 } });
    fixture.behave({ 1: { ignoreTerm: true } });
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    const pids = (await Promise.all([0, 1, 2].map((c) => fixture.running(c)))).flatMap((p) => [p.executor, p.child]);
    await fixture.scheduler.onKill(KILL);
    for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} is gone when onKill resolves`);
    assert.equal(fixture.dir.executorPids().size, 0, 'no executor pid file is left');
    assert.ok(fixture.events.some((e) => e.type === 'exited' && e.container === 1 && e.signal === 'SIGKILL'));
    await assert.rejects(fixture.scheduler.onRestart({ topologyName: 't' }), { code: 'SCHEDULER_RESTART_FAILED', message: /killed/ });
  });

  it('kills, from a fresh scheduler with nothing but the pid files, what a scheduler that went away started', async () => {
    const fixture = await localSchedulerFixture();
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    const pids = (await Promise.all([0, 1, 2].map((c) => fixture.running(c)))).flatMap((p) => [p.executor, p.child]);
    // What a dying scheduler process does: stop watching, leave the executors running.
    await fixture.scheduler.close();
    assert.ok(pids.every(isAlive), 'closing the scheduler leaves the executors running');
    const fresh = await fixture.another();
    await assert.rejects(fresh.onRestart({ topologyName: 't' }), { code: 'SCHEDULER_RESTART_FAILED', message: /scheduler process/ });
    await fresh.onKill(KILL);
    for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} is gone when the fresh onKill resolves`);
  });

  it('never signals a process its pid file names but that is not the topology\'s (a recycled pid)', async () => {
    const fixture = await localSchedulerFixture();
    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      fixture.dir.prepare();
      fixture.dir.writePid(LocalWorkingDirectory.executorName(1), stranger.pid as number);
      fixture.dir.writePid('scheduler', stranger.pid as number);
      await (await fixture.another()).onKill(KILL);
      assert.equal(isAlive(stranger.pid as number), true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('stops what an earlier run left in the working directory before scheduling', async () => {
    const fixture = await localSchedulerFixture();
    const earlier = await fixture.another();
    await earlier.onSchedule(TWO_CONTAINERS);
    const left = await fixture.running(1);
    await earlier.close();
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    await waitForGone([left.executor, left.child], 'the leftover executor 1 and its child');
    await fixture.running(1, left.executor);
    await fixture.scheduler.onKill(KILL);
    assert.equal(existsSync(fixture.dir.pidPath('executor-1')), false);
  });

  it('refuses to schedule twice', async () => {
    const fixture = await localSchedulerFixture();
    await fixture.scheduler.onSchedule(TWO_CONTAINERS);
    await assert.rejects(fixture.scheduler.onSchedule(TWO_CONTAINERS), { code: 'SCHEDULER_SCHEDULE_FAILED', message: /already scheduled/ });
    await fixture.scheduler.onKill(KILL);
  });
});

function fixtureRunning(dir: LocalWorkingDirectory, container: number): Promise<number> {
  return waitFor(`executor ${container}`, () => {
    const pid = dir.executorPids().get(container);
    return pid !== undefined && isAlive(pid) ? pid : undefined;
  }, DEADLINE_MS);
}
