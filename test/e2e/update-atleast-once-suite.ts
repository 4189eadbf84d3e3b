// `egret update` on a running ATLEAST_ONCE topology, end to end through the real `egret` command (run on `local`
// and on `localzk` by the update-atleast-once-*.test.ts files): the parallelism of a bolt goes up and then down while the spouts emit, and in the end every message id of
// every spout task is acked (replays allowed), none lost. The topology is test/fixtures/topologies/acking-topology.ts;
// its spouts record what was acked in files under a test directory (test/integration/acking-runs.ts reads them).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { ACKING_TOPOLOGY, ackedCount, missingIds, waitForEveryAck } from '../integration/acking-runs.js';
import type { E2eCluster, PhysicalPlanJson } from './e2e-cluster.js';

const NAME = 'acking';
const SPOUTS = 2;
const MESSAGES = 1500;
/** Per spout task: the run lasts about MESSAGES / RATE seconds, long enough for two updates in the middle. */
const RATE = 100;
const DEADLINE_MS = 90_000;

const splitTasks = (plan: PhysicalPlanJson) => plan.instances.filter((i) => i.info.componentName === 'split').length;

/** The test on one cluster; call at a test file's top level. */
export function updateAtLeastOnceSuite(title: string, clusterOf: () => E2eCluster): void {
  const output = tempDir();
  describe(title, { timeout: 5 * 60_000 }, () => {
    after(() => clusterOf().cleanUp());

    it('scales a bolt up and down mid-run, and every message id is acked in the end, none lost', async (t) => {
      const cluster = clusterOf();
      const total = SPOUTS * MESSAGES;
      const properties = {
        'test.output.dir': output,
        'test.messages': MESSAGES,
        'test.spouts': SPOUTS,
        'test.splitters': 2,
        'test.rate': RATE,
        'topology.message.timeout.secs': 4,
        'topology.max.spout.pending': 50,
      };
      const submit = await cluster.egret(['submit', cluster.cluster, ACKING_TOPOLOGY, '--wait', '--wait-timeout', '120', ...Object.entries(properties).flatMap(([k, v]) => ['--config-property', `${k}=${v}`])]);
      assert.equal(submit.status, 0, `${submit.stdout}${submit.stderr}`);

      for (const parallelism of [3, 1]) {
        // A sixth of the ids acked before the first update, a third before the second.
        const threshold = (total / 6) * (parallelism === 3 ? 1 : 2);
        const before = await waitFor(`${threshold} ids acked before split goes to ${parallelism}`, () => (ackedCount(output) >= threshold ? ackedCount(output) : undefined), DEADLINE_MS, 100);
        const run = await cluster.egret(['update', cluster.cluster, NAME, '--component-parallelism', `split:${parallelism}`]);
        assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
        await cluster.physicalPlan(NAME, `${parallelism} split task(s), RUNNING`, (plan) => splitTasks(plan) === parallelism && plan.topology.state === 'RUNNING', DEADLINE_MS);
        assert.ok(ackedCount(output) < total, `the run was over before the update to ${parallelism} (acked ${before} before it)`);
        // Acks go on after the update: the new plan carries the data.
        await waitFor(`acks to go on after split went to ${parallelism}`, () => ackedCount(output) > before + 50, DEADLINE_MS, 100);
      }

      const reports = await waitForEveryAck(output, SPOUTS, MESSAGES, DEADLINE_MS);
      for (const report of reports) assert.deepEqual(missingIds(report.acked, MESSAGES), [], `spout task ${report.task}`);
      t.diagnostic(`spout tasks: ${reports.map((r) => `task ${r.task}: ${r.acked.length} acked, ${r.failCount} failed, ${r.replays} replayed, incarnation ${r.incarnation}`).join('; ')}`);
      const kill = await cluster.egret(['kill', cluster.cluster, NAME]);
      assert.equal(kill.status, 0, kill.stderr);
    });
  });
}
