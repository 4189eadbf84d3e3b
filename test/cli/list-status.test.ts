import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { heron, ProtoExecutionState, ProtoPackingPlan, ProtoPhysicalPlan, ProtoTManagerLocation, ProtoTopology } from '../../core/proto/index.js';
import type { StateManager } from '../../core/spi/state-manager.js';
import type { TopologyList, TopologyStatus } from '../../core/submit/topology-status-types.js';
import { localFsStateManagerPlugin } from '../../statemgrs/localfs/localfs-state-manager-plugin.js';
import { openStateManager } from '../contracts/statemgr-harness.js';
import { runEgret, type EgretRun } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';

// `egret list` and `egret status` against a localfs state written by hand (no processes): the default state root
// under a temporary HOME, topologies under two roles, a half-submitted one, and a topology manager that is gone.
const HOME = tempDir();
const egret = (...args: string[]): EgretRun => runEgret(args, { env: { HOME } });
const RESOURCE = { cpu: 1, ram: 1024, disk: 1024 };

function assertUserError(run: EgretRun, status: number, pattern: RegExp): void {
  assert.equal(run.status, status, `exit status; stderr: ${run.stderr}`);
  assert.match(run.stderr, /^egret: /);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace without --verbose');
  assert.equal(run.stdout, '');
}

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Writes a running topology with one spout and one bolt on two containers, submitted by `role`. */
async function writeTopology(state: StateManager, name: string, role: string, options: { paused?: boolean; planPublished?: boolean; controllerPort?: number } = {}): Promise<void> {
  const id = `${name}-id`;
  const { RUNNING, PAUSED } = heron.proto.api.TopologyState;
  const comp = (n: string) => ({ name: n, config: { kvs: [] } });
  const topology = ProtoTopology.create({ id, name, state: options.paused ? PAUSED : RUNNING, spouts: [{ comp: comp('word'), outputs: [] }], bolts: [{ comp: comp('count'), inputs: [], outputs: [] }] });
  const plan = (c: number, tasks: Array<[string, number]>) => ({ id: c, instancePlans: tasks.map(([component, taskId]) => ({ componentName: component, taskId, componentIndex: c - 1, resource: RESOURCE })), requiredResource: RESOURCE });
  await state.create('topologies', name, topology);
  await state.set('packingplans', name, ProtoPackingPlan.create({ id, containerPlans: [plan(1, [['word', 1], ['count', 3]]), plan(2, [['word', 2], ['count', 4]])] }));
  await state.set('executionstate', name, ProtoExecutionState.create({ topologyName: name, topologyId: id, submissionTime: 1_700_000_000, submissionUser: role, cluster: 'local', environ: 'default', role }));
  if (options.planPublished) {
    const instance = (c: number, component: string, task: number) => ({ instanceId: `container_${c}_${component}_${task}`, stmgrId: `stmgr-${c}`, info: { taskId: task, componentIndex: c - 1, componentName: component } });
    await state.set('pplans', name, ProtoPhysicalPlan.create({
      topology,
      stmgrs: [1, 2].map((c) => ({ id: `stmgr-${c}`, hostName: '127.0.0.1', dataPort: 9000 + c, localEndpoint: 'x', pid: 4000 + c })),
      instances: [instance(1, 'word', 1), instance(1, 'count', 3), instance(2, 'word', 2), instance(2, 'count', 4)],
    }));
  }
  if (options.controllerPort !== undefined) {
    await state.set('tmanagers', name, ProtoTManagerLocation.create({ topologyName: name, topologyId: id, host: '127.0.0.1', controllerPort: options.controllerPort, serverPort: 1 }));
  }
}

describe('egret list and egret status (localfs state, no processes)', () => {
  let state: StateManager;
  before(async () => {
    state = await openStateManager(localFsStateManagerPlugin, { 'egret.statemgr.localfs.root': join(HOME, '.egret', 'state', 'local') });
  });
  after(() => state.close());

  it('lists nothing in an empty cluster, in a sentence or as JSON', () => {
    const table = egret('list', 'local');
    assert.equal(table.status, 0, table.stderr);
    assert.equal(table.stdout, "no topologies are running in cluster 'local'\n");
    const json = egret('list', 'local/bob', '--format', 'json');
    assert.deepEqual(JSON.parse(json.stdout), { cluster: 'local', role: 'bob', environment: null, topologies: [] });
  });

  it('lists every topology of the cluster, or those of one role, with state, containers and instances', async () => {
    await writeTopology(state, 'alpha', 'alice', { planPublished: true, paused: true });
    await writeTopology(state, 'beta', 'bob');
    await state.create('topologies', 'half', ProtoTopology.create({ id: 'half-id', name: 'half', state: heron.proto.api.TopologyState.RUNNING, spouts: [], bolts: [] }));

    const table = egret('list', 'local');
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^TOPOLOGY\s+ROLE\s+ENV\s+STATE\s+CONTAINERS\s+INSTANCES\s+RUNNING\s+SUBMITTED BY\s+SUBMITTED AT\s+PROBLEM$/);
    assert.match(lines[1] ?? '', /^alpha\s+alice\s+default\s+PAUSED\s+2\s+4\s+4\s+alice\s+2023-11-14T22:13:20\.000Z$/);
    assert.match(lines[2] ?? '', /^beta\s+bob\s+default\s+RUNNING\s+2\s+4\s+0\s+bob\s+2023-11-14T22:13:20\.000Z$/);
    assert.match(lines[3] ?? '', /^half(\s+-){8}\s+no execution state: half-submitted or half-killed; egret kill cleans it up$/);

    const json = JSON.parse(egret('list', 'local/alice', '--format', 'json').stdout) as TopologyList;
    assert.deepEqual([json.cluster, json.role, json.environment], ['local', 'alice', null]);
    assert.deepEqual(json.topologies.map((t) => t.topology), ['alpha', 'half'], "alice's, and the one that cannot be placed");
    assert.deepEqual(json.topologies[0], { topology: 'alpha', id: 'alpha-id', role: 'alice', environment: 'default', state: 'PAUSED', containers: 2, instances: 4, instancesRunning: 4, submittedBy: 'alice', submittedAt: '2023-11-14T22:13:20.000Z' });
    await state.delete('topologies', 'half');
    assert.equal(egret('list', 'local/alice/prod').stdout, "no topologies are running in cluster 'local', role 'alice', environment 'prod'\n");
  });

  it('shows what the state has when the topology manager is gone, says why on stderr, and exits 0', async () => {
    await writeTopology(state, 'gamma', 'alice', { planPublished: true, controllerPort: await closedPort() });
    const table = egret('status', 'local/alice', 'gamma');
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^gamma on local\/alice\/default: RUNNING\n/);
    assert.match(table.stdout, /\n {2}instances\s+4 of 4 running in 2 container\(s\)\n/);
    assert.match(table.stdout, /\n {2}metrics\s+unavailable: the topology manager at 127\.0\.0\.1:\d+ did not answer \/metrics: /);
    assert.match(table.stdout, /\n1\s+stmgr-1\s+127\.0\.0\.1\s+4001\s+word:1 count:3\s+-\n/);
    assert.match(table.stdout, /\nword\s+spout\s+2(\s+-){9}\n/);
    assert.match(table.stderr, /^egret: warning: the live figures of 'gamma' are unavailable: the topology manager at 127\.0\.0\.1:\d+ did not answer/);

    const json = JSON.parse(egret('status', 'local/alice', 'gamma', '--format', 'json').stdout) as TopologyStatus;
    assert.equal(json.metrics.available, false);
    assert.deepEqual([json.topology, json.state, json.containers.length, json.exceptions], ['gamma', 'RUNNING', 2, null]);
    assert.deepEqual(json.components.map((c) => [c.name, c.kind, c.parallelism, c.emitted]), [['word', 'spout', 2, null], ['count', 'bolt', 2, null]]);
  });

  it('refuses an unknown topology, one under another role or environment, an unknown cluster and a bad interval', async () => {
    await writeTopology(state, 'delta', 'alice');
    assertUserError(egret('status', 'local/alice', 'nope'), 5, /no topology named 'nope' is running on cluster 'local' \(running: .*delta/);
    assertUserError(egret('status', 'local/bob', 'delta'), 5, /topology 'delta' is running at local\/alice\/default, not local\/bob\/default/);
    assertUserError(egret('status', 'local/alice/prod', 'delta'), 5, /is running at local\/alice\/default, not local\/alice\/prod/);
    assertUserError(egret('status', 'nowhere', 'delta'), 3, /unknown cluster 'nowhere'/);
    assertUserError(egret('list', 'nowhere'), 3, /unknown cluster 'nowhere'/);
    assertUserError(egret('list', 'local/a/b/c'), 2, /is not <cluster>\[\/<role>\[\/<env>\]\]/);
    assertUserError(egret('status', 'local/alice', 'delta', '--interval', '0'), 2, /--interval '0': expected a whole number of seconds > 0/);
    assertUserError(egret('status', 'local/alice', 'delta', '--format', 'yaml'), 2, /'yaml' is invalid/);
    assert.ok(await state.isTopologyRunning('delta'), 'nothing changed');
  });
});
