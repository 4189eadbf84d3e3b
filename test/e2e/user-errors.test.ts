// Errors in user code, seen as a user sees them: a topology whose bolt reports errors through its collector and
// once throws (test/fixtures/topologies/failing-topology.ts) runs on the `local` cluster, and the errors travel
// instance → metrics manager → topology manager, to `egret status` (table and --format json), and into the
// container's JSON-lines metrics file. The instance that threw is restarted by its executor and counted so.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TopologyStatus } from '../../core/submit/topology-status-types.js';
import type { FlushedException } from '../../runtime/metricsmgr/metrics-sink.js';
import { REPO_ROOT } from '../helpers/run-egret.js';
import { waitFor } from '../helpers/wait-for.js';
import { E2eCluster } from './e2e-cluster.js';

const NAME = 'failing';
const TOPOLOGY = join(REPO_ROOT, 'test', 'fixtures', 'topologies', 'failing-topology.ts');
const DEADLINE_MS = 90_000;
const THROW_AT = 300;

const cluster = new E2eCluster('local');

async function status(): Promise<TopologyStatus> {
  const run = await cluster.egret(['status', cluster.cluster, NAME, '--format', 'json']);
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout) as TopologyStatus;
}

/** The exceptions of every line of a JSON-lines metrics file. */
function exceptionsInFile(path: string): FlushedException[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .flatMap((line) => (JSON.parse(line) as { exceptions: FlushedException[] }).exceptions);
}

describe('user errors of a topology on the local cluster', { timeout: 5 * 60_000 }, () => {
  after(() => cluster.cleanUp());

  it('reach egret status and the metrics file, with component, instance, message and count; the bolt that threw is restarted', async () => {
    const submittedAt = Date.now();
    const submit = await cluster.egret(['submit', cluster.cluster, TOPOLOGY, '--wait', '--wait-timeout', '120', '--config-property', `test.throw.at=${THROW_AT}`]);
    assert.equal(submit.status, 0, `${submit.stdout}${submit.stderr}`);

    const seen = await waitFor(
      'egret status to show the reported errors and the thrown one',
      async () => {
        const now = await status();
        const errors = now.exceptions ?? [];
        const thrown = errors.find((e) => e.message.includes(`flaky bolt gave up at ${THROW_AT}`));
        const reported = errors.filter((e) => /flaky bolt could not handle \d+/.test(e.message));
        const restarts = now.containers.flatMap((c) => c.instances).find((i) => i.component === 'flaky')?.restarts ?? 0;
        return thrown && reported.length >= 2 && restarts >= 1 ? { now, thrown, reported } : undefined;
      },
      DEADLINE_MS,
      500,
    );
    const instance = 'container_1_flaky_2';
    assert.equal(seen.thrown.component, 'flaky');
    assert.equal(seen.thrown.instance, instance);
    assert.equal(seen.thrown.task, 2);
    assert.equal(seen.thrown.count, 1, 'the bolt threw once');
    for (const e of [seen.thrown, ...seen.reported]) {
      const [first, last] = [Date.parse(e.firstTime), Date.parse(e.lastTime)];
      assert.ok(first > submittedAt && last >= first && last <= Date.now(), `first ${e.firstTime}, last ${e.lastTime}: not times of this run`);
    }
    assert.match(seen.thrown.stacktrace, /FlakyBolt\.execute/, 'the stack trace names the user code');
    for (const e of seen.reported) assert.equal(e.instance, instance);
    const flaky = seen.now.components.find((c) => c.name === 'flaky');
    assert.ok((flaky?.errors ?? 0) >= 3, `the component counts its errors: ${JSON.stringify(flaky)}`);
    assert.equal(seen.now.components.find((c) => c.name === 'numbers')?.errors, 0, 'the spout reported none');

    const table = await cluster.egret(['status', cluster.cluster, NAME]);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /user errors \(the most recent last/);
    assert.match(table.stdout, new RegExp(`flaky +${instance} +x1 .*flaky bolt gave up at ${THROW_AT}`));

    // The JSON-lines sink of container 1's metrics manager (on by default, `metrics.jsonl` in its working dir).
    const file = join(cluster.workingDirectory(NAME, userInfo().username), 'container-1', 'metrics.jsonl');
    const inFile = await waitFor('the metrics file to hold the thrown error', () => exceptionsInFile(file).find((e) => e.message.includes(`gave up at ${THROW_AT}`)), DEADLINE_MS, 200);
    assert.equal(inFile.component, 'flaky');
    assert.equal(inFile.instanceId, instance);

    const kill = await cluster.egret(['kill', cluster.cluster, NAME]);
    assert.equal(kill.status, 0, kill.stderr);
  });
});
