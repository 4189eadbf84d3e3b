import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, describe, it } from 'node:test';
import { heron } from '../../core/proto/index.js';
import { waitUntil } from '../helpers/runtime-processes.js';
import { closeRuntimeTestStates } from '../helpers/runtime-test-package.js';
import type { FakeInstance } from './fake-instance.js';
import { PROCESS_START_MS, PROMPTLY_MS, StMgrHarness } from './stmgr-harness.js';

import system = heron.proto.system;

const harness = new StMgrHarness();
afterEach(() => harness.cleanUp());
after(() => closeRuntimeTestStates());

const { OK, NOTOK } = system.StatusCode;
const { RUNNING, PAUSED } = heron.proto.api.TopologyState;

/**
 * Word tuples [word, count] for the words spout's default stream: random words, so the keys spread over the
 * counters (the fields hash's low bit is the parity of the key bytes' low bits: `w-1`/`1`, `w-2`/`2`... would all
 * land on one task of two).
 */
function words(prefix: string, n: number): Buffer[][] {
  return Array.from({ length: n }, () => [Buffer.from(`${prefix}-${randomBytes(6).toString('hex')}`), Buffer.from('1')]);
}

/** Which counter task got each word of `prefix` (fails if one got it twice or two got it). */
function placement(counters: readonly FakeInstance[], prefix: string): Map<string, number> {
  const where = new Map<string, number>();
  for (const counter of counters) {
    for (const tuple of counter.received) {
      const word = tuple.values[0]!.toString();
      if (!word.startsWith(`${prefix}-`)) continue;
      assert.equal(where.get(word), undefined, `${word} delivered twice`);
      where.set(word, counter.task.taskId);
    }
  }
  return where;
}

describe('egret-stmgr (real processes, the C++ data path, fake instances)', () => {
  it('registers its instances, registers with the topology manager once all have, and sends every instance the plan', async () => {
    const cluster = await harness.start();
    const first = await cluster.connect(1);
    const response = await first.register(cluster.topology);
    assert.equal(response.status.status, OK);
    assert.equal(response.pplan, null, 'no plan before every stream manager registered');

    // Task 1's connection goes to container 1, which does not have task 2.
    const stranger = await cluster.connect(1);
    const wrongPlace = await stranger.register(cluster.topology, (i) => {
      i.instanceId = 'container_1_words_2';
      i.info.taskId = 2;
      i.info.componentIndex = 1;
    });
    assert.equal(wrongPlace.status.status, NOTOK);
    assert.match(wrongPlace.status.message ?? '', /task 2 \(container_1_words_2\) is not a task of stmgr-1/);
    const twin = await cluster.connect(1);
    const duplicate = await twin.register(cluster.topology);
    assert.equal(duplicate.status.status, NOTOK);
    assert.match(duplicate.status.message ?? '', /already registered on another live connection/);
    const otherTopology = await cluster.connect(3);
    assert.equal((await otherTopology.register({ name: 'wc', id: 'wc-0' })).status.status, NOTOK);
    otherTopology.close();

    const rest = [...(await cluster.registerAll(2)).values(), await cluster.connect(3), await cluster.connect(5)];
    for (const instance of rest.slice(-2)) assert.equal((await instance.register(cluster.topology)).status.status, OK);
    const all = [first, ...rest];
    const plans = await Promise.all(all.map((i) => i.assignment(1, PROMPTLY_MS)));
    for (const plan of plans) {
      assert.equal(plan.topology.id, cluster.topology.id);
      assert.equal(plan.topology.state, RUNNING);
      assert.deepEqual(
        plan.stmgrs.map((s) => s.id),
        ['stmgr-1', 'stmgr-2'],
      );
      assert.ok(plan.stmgrs.every((s) => s.dataPort > 0));
      assert.deepEqual(
        plan.stmgrs.map((s) => s.localEndpoint),
        [`unix-abstract:egret/${cluster.topology.id}/stmgr-1`, `unix-abstract:egret/${cluster.topology.id}/stmgr-2`],
      );
      assert.deepEqual(
        plan.instances.map((i) => i.info.taskId),
        [1, 2, 3, 4, 5],
      );
    }
    assert.equal(twin.assignments.length, 0, 'a refused connection gets no assignment');
    const stored = await cluster.state.get('pplans', 'wc');
    assert.deepEqual(
      stored.stmgrs.map((s) => s.dataPort),
      plans[0]!.stmgrs.map((s) => s.dataPort),
    );
    const sm1 = cluster.stmgrs.get(1)!;
    await sm1.waitForLog('the peer connected', (l) => l.message === 'peer connected' && l['peer'] === 'stmgr-2', PROMPTLY_MS);
    await sm1.waitForLog('the plan applied', (l) => l.message === 'physical plan applied', PROMPTLY_MS);
    assert.ok(sm1.logs.some((l) => l.message === 'instance registration refused'));
  });

  it('routes tuples between the containers by the plan: fields to exactly one counter, all to every counter', async () => {
    const cluster = await harness.start();
    const instances = await cluster.registerAll();
    await Promise.all([...instances.values()].map((i) => i.assignment(1, PROMPTLY_MS)));
    const counters = [instances.get(3)!, instances.get(4)!];
    const spout = instances.get(1)!;
    // Peers connect once they hold the plan; emit until one batch makes it through both ways.
    await waitUntil(
      'tuples to reach both counters',
      () => {
        spout.emit('default', words('probe', 16));
        return counters.every((c) => c.received.length > 0);
      },
      PROMPTLY_MS,
    );
    spout.emit('default', words('w', 200));
    spout.emit('control', [[Buffer.from('flush')]]);
    await waitUntil('200 words and the control tuple on both', () => placement(counters, 'w').size === 200 && counters.every((c) => c.received.some((t) => t.stream === 'control')), PROMPTLY_MS);
    const first = placement(counters, 'w');
    assert.ok(new Set(first.values()).size === 2, 'fields grouping spreads the words over both counters');
    for (const c of counters) for (const tuple of c.received) assert.equal(tuple.srcTaskId, 1);
    assert.equal(instances.get(5)!.received.length, 0, 'the sink subscribes to the counters only');
  });

  it('passes activate and deactivate on to every instance', async () => {
    const cluster = await harness.start();
    const instances = [...(await cluster.registerAll()).values()];
    await Promise.all(instances.map((i) => i.assignment(1, PROMPTLY_MS)));
    const location = await cluster.location();
    const deactivate = await fetch(`http://${location.host}:${location.controllerPort}/deactivate?topologyid=${cluster.topology.id}`, { method: 'POST' });
    assert.equal(deactivate.status, 200);
    for (const plan of await Promise.all(instances.map((i) => i.assignment(2, PROMPTLY_MS)))) assert.equal(plan.topology.state, PAUSED);
    await fetch(`http://${location.host}:${location.controllerPort}/activate?topologyid=${cluster.topology.id}`);
    for (const plan of await Promise.all(instances.map((i) => i.assignment(3, PROMPTLY_MS)))) assert.equal(plan.topology.state, RUNNING);
  });

  it('registers again with a restarted topology manager, and the instances get the republished plan', async () => {
    const cluster = await harness.start();
    const instances = [...(await cluster.registerAll()).values()];
    await Promise.all(instances.map((i) => i.assignment(1, PROMPTLY_MS)));
    const before = await cluster.location();
    await cluster.tmanager.kill('SIGKILL');
    cluster.startTManager();
    await waitUntil('a new location', async () => (await cluster.location()).serverPort !== before.serverPort, PROCESS_START_MS);
    const plans = await Promise.all(instances.map((i) => i.assignment(2, PROCESS_START_MS)));
    assert.ok(plans.every((p) => p.stmgrs.length === 2));
    const sm1 = cluster.stmgrs.get(1)!;
    assert.equal(sm1.logs.filter((l) => l.message === 'registered with the topology manager').length, 2, sm1.describeOutput());
  });

  it('comes back after a SIGKILL with a new data port: its instances register again and tuples flow again', async () => {
    const cluster = await harness.start();
    const instances = await cluster.registerAll();
    await Promise.all([...instances.values()].map((i) => i.assignment(1, PROMPTLY_MS)));
    const oldPort = instances.get(1)!.assignments[0]!.stmgrs[1]!.dataPort;
    await cluster.stmgrs.get(2)!.kill('SIGKILL');
    await cluster.startStMgr(2);
    const again = await cluster.registerAll(2);
    const plan = await instances.get(1)!.assignment(2, PROMPTLY_MS);
    assert.notEqual(plan.stmgrs[1]!.dataPort, oldPort);
    await again.get(4)!.assignment(1, PROMPTLY_MS);
    const spout = instances.get(1)!;
    await waitUntil(
      'tuples to reach the restarted container’s counter',
      () => {
        spout.emit('control', [[Buffer.from('ping')]]);
        return again.get(4)!.received.length > 0;
      },
      PROMPTLY_MS,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\nstmgr-1 said:\n${cluster.stmgrs.get(1)!.describeOutput()}\nstmgr-2 said:\n${cluster.stmgrs.get(2)!.describeOutput()}`);
    });
  });

  it('listens at the socket file given with --local-endpoint, and publishes it in the plan', async () => {
    const cluster = await harness.start({ endpoints: 'file' });
    assert.match(cluster.endpointOf(1), /^unix:\/.*\/stmgr-1\.sock$/);
    const instances = [...(await cluster.registerAll()).values()];
    const plan = await instances[0]!.assignment(1, PROMPTLY_MS);
    assert.deepEqual(
      plan.stmgrs.map((s) => s.localEndpoint),
      [cluster.endpointOf(1), cluster.endpointOf(2)],
    );
  });

  it('stops cleanly on SIGTERM, and when its executor’s IPC channel closes', async () => {
    const cluster = await harness.start();
    const sm1 = cluster.stmgrs.get(1)!;
    await sm1.kill('SIGTERM');
    assert.equal(await sm1.exit(), 0);
    assert.ok(sm1.logs.some((l) => l.message === 'shutting down' && l['reason'] === 'SIGTERM'), sm1.describeOutput());
    const sm2 = cluster.stmgrs.get(2)!;
    sm2.child.disconnect();
    assert.equal(await waitUntil('the stream manager to exit', async () => (sm2.hasExited ? sm2.exit() : undefined), PROMPTLY_MS), 0);
  });
});
