import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { StateManager } from '../../core/spi/state-manager.js';
import { localFsStateManagerPlugin } from '../../statemgrs/localfs/localfs-state-manager-plugin.js';
import { zooKeeperStateManagerPlugin } from '../../statemgrs/zookeeper/zookeeper-state-manager-plugin.js';
import { openStateManager } from '../contracts/statemgr-harness.js';
import { sampleNode } from '../contracts/statemgr-samples.js';
import { runEgret, type EgretRun } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';
import { freePort, useZooKeeper } from '../helpers/zookeeper-server.js';

const root = join(tempDir(), 'state');
const ROOT = `egret.statemgr.localfs.root=${root}`;
const zookeeper = useZooKeeper();
const opened: StateManager[] = [];
after(async () => Promise.all(opened.map((state) => state.close())));

async function localState(): Promise<StateManager> {
  const state = await openStateManager(localFsStateManagerPlugin, { 'egret.statemgr.localfs.root': root });
  opened.push(state);
  return state;
}

function state(...args: string[]): EgretRun {
  return runEgret(['state', ...args]);
}

function assertFailure(run: EgretRun, pattern: RegExp): void {
  assert.equal(run.status, 5, `exit status; stderr: ${run.stderr}`);
  assert.match(run.stderr, /^egret: /);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace without --verbose');
}

describe('egret state (localfs)', () => {
  it('says so when no topology runs, and lists the running ones with who submitted them', async () => {
    const empty = state('local', '--config-property', ROOT);
    assert.equal(empty.status, 0, empty.stderr);
    assert.equal(empty.stdout, "no topologies are running in cluster 'local'\n");

    const s = await localState();
    await s.create('topologies', 'word-count', sampleNode('topologies', 'word-count'));
    await s.create('executionstate', 'word-count', sampleNode('executionstate', 'word-count'));
    await s.create('topologies', 'exclamation', sampleNode('topologies', 'exclamation'));
    const run = state('local', '--config-property', ROOT);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^TOPOLOGY\s+ID\s+ROLE\s+ENV\s+SUBMITTED BY\s+SUBMITTED AT$/);
    assert.match(lines[1] ?? '', /^exclamation\s+-\s+-/);
    assert.match(lines[2] ?? '', /^word-count\s+word-count-0\s+alice\s+default\s+alice\s+2023-11-14T22:13:20\.000Z$/);

    const json = JSON.parse(state('local', '--format', 'json', '--config-property', ROOT).stdout) as { cluster: string; topologies: Array<{ topology: string; submittedBy?: string }> };
    assert.equal(json.cluster, 'local');
    assert.deepEqual(json.topologies.map((t) => [t.topology, t.submittedBy ?? null]), [['exclamation', null], ['word-count', 'alice']]);
  });

  it('prints every node of a topology, decoded, and the same as JSON', async () => {
    const s = await localState();
    await s.create('topologies', 'shown', sampleNode('topologies', 'shown'));
    await s.set('packingplans', 'shown', sampleNode('packingplans', 'shown'));
    await s.set('tmanagers', 'shown', sampleNode('tmanagers', 'shown'));
    const run = state('local', 'shown', '--config-property', ROOT);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^topology 'shown' in cluster 'local' \(running\)\n/);
    assert.match(run.stdout, /\ntopologies\/shown:\n {2}\{\n {4}"id": "shown-0",\n {4}"name": "shown",/);
    assert.match(run.stdout, /"state": "RUNNING"/);
    assert.match(run.stdout, /\npackingplans\/shown:\n {2}\{\n {4}"id": "shown-0",\n {4}"containerPlans": \[/);
    assert.match(run.stdout, /"controllerPort": 4000/);
    assert.match(run.stdout, /\npplans\/shown: \(none\)\n/);

    const json = JSON.parse(state('local', 'shown', '--format', 'json', '--config-property', ROOT).stdout) as {
      topology: string;
      running: boolean;
      nodes: Record<string, Record<string, unknown> | null>;
    };
    assert.equal(json.topology, 'shown');
    assert.equal(json.running, true);
    assert.equal(json.nodes['topologies']?.['state'], 'RUNNING');
    assert.equal(json.nodes['tmanagers']?.['host'], 'host-0');
    assert.equal(json.nodes['pplans'], null);
  });

  it('fails (exit 5) for a topology without state, and for a corrupted node after printing the others', async () => {
    assertFailure(state('local', 'nothing-here', '--config-property', ROOT), /cluster 'local' has no state for topology 'nothing-here'/);

    const s = await localState();
    await s.create('topologies', 'broken', sampleNode('topologies', 'broken'));
    writeFileSync(join(root, 'packingplans', 'broken'), 'not a protobuf message');
    const run = state('local', 'broken', '--config-property', ROOT);
    assertFailure(run, /topology 'broken' has unreadable state nodes: packingplans/);
    assert.match(run.stdout, /\ntopologies\/broken:\n/);
    assert.match(run.stdout, /\npackingplans\/broken: unreadable: state node packingplans\/broken in the localfs state tree at .* is corrupted/);
  });

  it('keeps the tree under ${HOME}/.egret/state/<cluster> by default', () => {
    const home = tempDir();
    const run = runEgret(['state', 'local'], { env: { HOME: home } });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "no topologies are running in cluster 'local'\n");
    assert.ok(existsSync(join(home, '.egret', 'state', 'local', 'topologies')), 'the tree was created under the home directory');
  });

  it('refuses a topology name that cannot name a node, and documents itself', () => {
    assertFailure(state('local', '../etc', '--config-property', ROOT), /'\.\.\/etc' cannot name a topology/);
    const help = runEgret(['state', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: egret state \[options\] <cluster> \[topology\]/);
    assert.match(help.stdout, /--format <format>/);
  });
});

describe('egret state (zookeeper)', () => {
  it('reads the tree from ZooKeeper', async () => {
    const zkRoot = `/egret-cli-${process.pid}`;
    const config = { 'egret.statemgr.zookeeper.connection.string': zookeeper().connectionString, 'egret.statemgr.zookeeper.root': zkRoot };
    const s = await openStateManager(zooKeeperStateManagerPlugin, config);
    opened.push(s);
    await s.create('topologies', 'in-zk', sampleNode('topologies', 'in-zk'));
    const properties = Object.entries(config).flatMap(([key, value]) => ['--config-property', `${key}=${value}`]);
    const list = state('localzk', ...properties);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^TOPOLOGY.*\nin-zk\s/);
    const shown = state('localzk', 'in-zk', '--format', 'json', ...properties);
    assert.equal(shown.status, 0, shown.stderr);
    assert.equal((JSON.parse(shown.stdout) as { nodes: Record<string, { name?: string } | null> }).nodes['topologies']?.name, 'in-zk');
  });

  it('fails within the connect timeout, naming the server, when ZooKeeper is unreachable', async () => {
    const port = await freePort();
    const started = Date.now();
    const run = state('localzk', '--config-property', `egret.statemgr.zookeeper.connection.string=127.0.0.1:${port}`, '--config-property', 'egret.statemgr.zookeeper.connect.timeout.ms=500');
    assertFailure(run, new RegExp(`ZooKeeper at 127\\.0\\.0\\.1:${port} is unreachable: no connection within 500 ms`));
    assert.ok(Date.now() - started < 10_000, 'the command returns promptly');
  });
});
