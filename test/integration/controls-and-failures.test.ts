import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { TopologyHarness } from '../helpers/topology-harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { GROUPINGS_TOPOLOGY } from './groupings-suite.js';
import { readReports, totalOf } from './reports.js';

/**
 * A never-ending word count (spout → shuffle bolt, on two containers) with real processes: deactivate stops the
 * spouts within a second and activate resumes them; a topology manager killed with SIGKILL comes back, republishes
 * the plan and controls the topology again; a stream manager killed with SIGKILL is restarted by its executor and
 * tuples flow again.
 */
describe('controls and failures, end to end', () => {
  const output = tempDir();
  let harness: TopologyHarness;
  const emitted = (): number => readReports(output).spouts.reduce((n, s) => n + s.emitted, 0);
  const received = (): number => totalOf(readReports(output), 'shuffle');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Resolves once `count` has grown by at least `by` (a fresh baseline per call). */
  async function grows(what: string, count: () => number, by = 1000): Promise<void> {
    const start = count();
    await waitFor(what, () => count() >= start + by, 30_000, 100);
  }

  async function control(action: 'activate' | 'deactivate'): Promise<void> {
    const location = await harness.topology.state.get('tmanagers', harness.topologyName);
    const response = await fetch(`http://${location.host}:${location.controllerPort}/${action}?topologyid=${harness.topologyId}`, { method: 'POST' });
    assert.equal(response.status, 200, await response.text());
  }

  before(async () => {
    harness = await TopologyHarness.start({
      topologyFile: GROUPINGS_TOPOLOGY,
      containers: 2,
      config: { 'test.output.dir': output, 'test.repeats': 0, 'test.bolts': 'shuffle', 'test.spouts': 2 },
      deadlineMs: 60_000,
    });
    await harness.waitForPhysicalPlan();
    await grows('tuples to flow', received);
  });

  after(async () => {
    await harness?.stop();
  });

  it('deactivate stops emission within a second; activate resumes it', async () => {
    await control('deactivate');
    await sleep(1000);
    const stoppedAt = emitted();
    const receivedAt = received();
    await sleep(1000);
    assert.equal(emitted(), stoppedAt, 'the spouts emitted after the first second');
    await sleep(500);
    assert.equal(received(), receivedAt, 'the bolts received after the first second');
    await control('activate');
    await grows('emission to resume', emitted);
    await grows('tuples to arrive again', received);
  });

  it('a topology manager killed with SIGKILL comes back, republishes the plan and controls the topology again', async () => {
    const before = await harness.topology.state.get('tmanagers', harness.topologyName);
    const planWrites: string[] = [];
    const watch = await harness.topology.state.watch('pplans', harness.topologyName, (event) => void planWrites.push(event));
    try {
      await harness.killAndAwaitRestart('tmanager');
      await waitFor('a new topology manager location', async () => {
        const now = await harness.topology.state.find('tmanagers', harness.topologyName);
        return now !== undefined && (now.controllerPort !== before.controllerPort || now.serverPort !== before.serverPort);
      }, 60_000, 200);
      await waitFor('the plan to be republished', () => planWrites.includes('changed') || planWrites.includes('created'), 60_000, 100);
    } finally {
      watch.cancel();
    }
    await grows('tuples to flow', received);
    await control('deactivate');
    await sleep(1000);
    const stoppedAt = emitted();
    await sleep(1000);
    assert.equal(emitted(), stoppedAt, 'the new topology manager deactivated the topology');
    await control('activate');
    await grows('emission to resume', emitted);
  });

  it('a stream manager killed with SIGKILL is restarted by its executor, and tuples flow again', async () => {
    const bolts = () => readReports(output).bolts.get('shuffle') ?? [];
    const pidsBefore = new Set(bolts().map((b) => b.pid));
    const oldPid = await harness.killAndAwaitRestart('stmgr-1');
    assert.ok(oldPid > 0);
    // Its instances lost their stream manager and were restarted too; the new ones count from zero.
    await waitFor('a bolt restarted in container 1 to count again', () => bolts().some((b) => !pidsBefore.has(b.pid) && b.total > 1000), 60_000, 200);
    await grows('tuples to flow through every bolt', received);
  });
});
