import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { describe, it } from 'node:test';
import axios from 'axios';
import { packingPlanFromProto, ProtoSchedulerResponse } from '../../core/proto/index.js';
import { createPackingPlan } from '../../core/spi/packing-plan.js';
import { schedulerClientFor } from '../../core/submit/scheduler-client-factory.js';
import { isAlive } from '../../schedulers/local/process-termination.js';
import { waitFor } from '../helpers/wait-for.js';
import { DEADLINE_MS } from './local-fixture.js';
import { prepareLocalTopology, statOf } from './launched-topology.js';

// The scheduler process for real (egret-scheduler composed with dummy executors), started by the local launcher.
describe('the scheduler process in service mode', () => {
  it('runs detached, writes its location, and serves restart, update and kill over HTTP until the kill, then exits', async () => {
    const local = await prepareLocalTopology();
    const { topology, dir } = local;
    const name = topology.runtime.topologyName;
    await (await local.launcher()).launch(topology.plan, topology.packageFileUri);

    const location = await local.location();
    assert.ok(location);
    assert.match(location.httpEndpoint, /^127\.0\.0\.1:\d+$/);
    assert.deepEqual(location.jobPageLink, [`file://${dir.root}`]);
    const scheduler = local.schedulerPid() as number;
    assert.deepEqual([statOf(scheduler).pgrp, statOf(scheduler).session], [scheduler, scheduler], 'its own session and process group');
    assert.equal(readlinkSync(`/proc/${scheduler}/fd/0`), '/dev/null');
    const executors = new Map(await Promise.all([0, 1, 2].map(async (c) => [c, await local.executor(c)] as const)));
    for (const pid of executors.values()) assert.equal(statOf(pid).ppid, scheduler, 'executors are the scheduler process\'s children');

    const client = await local.httpClient();
    await client.restart({ topologyName: name, containerId: 1 });
    const restarted = await local.executor(1, executors.get(1));
    assert.equal(local.dir.executorPids().get(2), executors.get(2));
    await assert.rejects(client.restart({ topologyName: name, containerId: 9 }), { code: 'SCHEDULER_UNKNOWN_CONTAINER', message: /no container 9/ });
    const malformed = await axios.post(`http://${location.httpEndpoint}/update`, Buffer.from('not a plan'), { validateStatus: () => true, responseType: 'arraybuffer' });
    assert.equal(malformed.status, 400);
    assert.equal(ProtoSchedulerResponse.decode(new Uint8Array(malformed.data as ArrayBuffer)).status.status, 2, 'NOTOK');

    // Container 2's tasks move to a new container 3.
    const current = topology.plan;
    const proposed = createPackingPlan(current.id, current.containers.map((c) => (c.id === 2 ? { ...c, id: 3 } : c)));
    await client.update({ topologyName: name, current, proposed });
    assert.deepEqual(packingPlanFromProto(await topology.state.get('packingplans', name)), proposed);
    await local.executor(3);
    assert.equal(isAlive(executors.get(2) as number), false, 'container 2 is gone when the update returns');

    const live = await waitFor('the executors of containers 0, 1, 3 and their children', () => (local.livePids().length === 6 ? local.livePids() : undefined), DEADLINE_MS);
    await client.kill({ topologyName: name });
    for (const pid of live) assert.equal(isAlive(pid), false, `pid ${pid} is gone when the kill returns`);
    await waitFor('the scheduler process to exit', () => !isAlive(scheduler), DEADLINE_MS);
    assert.equal(await local.location(), undefined, 'its location went with it');
    assert.equal(local.schedulerPid(), undefined, 'and its pid file');
    assert.equal(isAlive(restarted), false);
  });

  it('left alone by SIGKILL, its executors run on, and egret kill\'s fallback stops every one of them', async () => {
    const local = await prepareLocalTopology();
    await (await local.launcher()).launch(local.topology.plan, local.topology.packageFileUri);
    const live = await local.allRunning();
    const scheduler = local.schedulerPid() as number;
    process.kill(scheduler, 'SIGKILL');
    await waitFor('the scheduler process to die', () => !isAlive(scheduler), DEADLINE_MS);
    assert.ok(live.every(isAlive), 'the executors and their children still run');
    assert.equal(await local.location(), undefined, 'the ephemeral location died with its owner');

    const client = await schedulerClientFor(local.clientContext);
    await client.kill({ topologyName: local.topology.runtime.topologyName });
    for (const pid of live) assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
  });

  it('on SIGTERM stops serving and leaves its executors running, unsupervised, for egret kill', async () => {
    const local = await prepareLocalTopology();
    await (await local.launcher()).launch(local.topology.plan, local.topology.packageFileUri);
    const live = await local.allRunning();
    const scheduler = local.schedulerPid() as number;
    process.kill(scheduler, 'SIGTERM');
    await waitFor('the scheduler process to exit', () => !isAlive(scheduler), DEADLINE_MS);
    assert.equal(await local.location(), undefined);
    assert.ok(live.every(isAlive), 'the executors and their children still run');
    // The client finds the location gone, and the fallback kills through the pid files.
    const client = await schedulerClientFor(local.clientContext);
    await client.kill({ topologyName: local.topology.runtime.topologyName });
    for (const pid of live) assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
  });

  it('kills what it runs and exits when the topology node is deleted under it', async () => {
    const local = await prepareLocalTopology();
    await (await local.launcher()).launch(local.topology.plan, local.topology.packageFileUri);
    const live = await local.allRunning();
    const scheduler = local.schedulerPid() as number;
    await local.topology.state.delete('topologies', local.topology.runtime.topologyName);
    await waitFor('the scheduler process to exit', () => !isAlive(scheduler), DEADLINE_MS);
    for (const pid of live) assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
  });
});
