import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runEgret, type EgretRun } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';

const WORD_COUNT = 'examples/word-count/word-count-topology.ts';

/** A user error: the given exit code, one `egret: ` line on stderr (plus listed problems), no stack trace. */
function assertUserError(run: EgretRun, status: number, pattern: RegExp): void {
  assert.equal(run.status, status, `exit status; stderr: ${run.stderr}`);
  assert.match(run.stderr, /^egret: /);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace without --verbose');
  assert.equal(run.stdout, '');
}

describe('egret (the real binary)', () => {
  it('prints its version', () => {
    const run = runEgret(['version']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^egret \d+\.\d+\.\d+\nnode v\d+/);
  });

  it('documents the exit codes in --help, on every command', () => {
    for (const args of [['--help'], ['submit', '--help'], ['config', '--help'], ['help', 'submit']]) {
      const run = runEgret(args);
      assert.equal(run.status, 0, args.join(' '));
      assert.match(run.stdout, /Exit codes:\n\s+0\s+success/, args.join(' '));
    }
  });

  it('packs the word-count example on the local cluster (dry run, table)', () => {
    const run = runEgret(['submit', 'local', WORD_COUNT, '--dry-run']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /topology word-count on local\/[^/]+\/default \(dry run: nothing was submitted\)/);
    assert.match(run.stdout, /packing plan 'word-count' \(round-robin\): 2 containers, 4 instances/);
  });

  it('prints the plan as JSON with --dry-run-format json, sized by the topology argument', () => {
    const run = runEgret(['submit', 'local', WORD_COUNT, '3', '--dry-run', '--dry-run-format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as { algorithm: string; containers: Array<{ id: number; instances: Array<{ component: string; taskId: number; componentIndex: number }> }> };
    assert.equal(plan.algorithm, 'round-robin');
    assert.deepEqual(plan.containers.map((c) => c.id), [1, 2]);
    const instances = plan.containers.flatMap((c) => c.instances);
    assert.deepEqual(instances.map((i) => i.taskId).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
    assert.equal(instances.filter((i) => i.component === 'word').length, 3);
    for (const container of plan.containers) {
      assert.deepEqual(container.instances.map((i) => i.taskId), [...container.instances.map((i) => i.taskId)].sort((a, b) => a - b));
    }
  });

  it('packs a spec file, with --config-property overriding the topology', () => {
    const dir = tempDir({
      't.json': JSON.stringify({
        name: 't',
        spouts: [{ name: 'spout', parallelism: 4, ram: 2147483648, outputs: { default: ['word'] } }],
        bolts: [{ name: 'bolt', parallelism: 3, cpu: 2, inputs: [{ component: 'spout', stream: 'default', grouping: 'fields', fields: ['word'] }] }],
        config: { 'topology.stmgrs': 2, 'topology.container.max.instances': 4 },
      }),
    });
    const run = runEgret(['submit', 'local', join(dir, 't.json'), '--dry-run', '--dry-run-format', 'json', '--config-property', 'topology.stmgrs=3']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { containers: unknown[] }).containers.length, 3);
  });

  it('exits 4 with one line for a missing topology file', () => {
    assertUserError(runEgret(['submit', 'local', 'examples/nope.ts', '--dry-run']), 4, /topology file 'examples\/nope\.ts' does not exist/);
  });

  it('exits 4 naming file, line and column for a syntax error in the topology module', () => {
    const dir = tempDir({ 'bad.ts': "import { TopologyBuilder } from 'egret';\nexport default new TopologyBuilder(.build('x');\n" });
    assertUserError(runEgret(['submit', 'local', join(dir, 'bad.ts'), '--dry-run']), 4, /bad\.ts:2:\d+: /);
  });

  it('exits 4 listing every problem of an invalid topology', () => {
    const dir = tempDir({ 't.json': JSON.stringify({ name: 't', spouts: [{ name: 's', parallelism: 0 }], bolts: [{ name: 'b', inputs: [{ component: 'nope' }] }] }) });
    const run = runEgret(['submit', 'local', join(dir, 't.json'), '--dry-run']);
    assert.equal(run.status, 4);
    assert.match(run.stderr, /'s'.*parallelism/);
    assert.match(run.stderr, /'b'.*'nope'/);
  });

  it('exits 3 for an unknown cluster, listing the clusters', () => {
    assertUserError(runEgret(['submit', 'nocluster', WORD_COUNT, '--dry-run']), 3, /unknown cluster 'nocluster'.*clusters in .*: local, localzk/);
  });

  it('exits 3 for a bad --config-property', () => {
    assertUserError(runEgret(['submit', 'local', WORD_COUNT, '--dry-run', '--config-property', 'topology.stmgrs']), 3, /--config-property 'topology\.stmgrs': expected key=value/);
    assertUserError(runEgret(['submit', 'local', WORD_COUNT, '--dry-run', '--config-property', 'egret.resources.instance.cpu=-2']), 3, /egret\.resources\.instance\.cpu/);
  });

  it('exits 3 for a misspelled plugin, naming the key, its source and the registered plugins', () => {
    assertUserError(
      runEgret(['submit', 'local', WORD_COUNT, '--dry-run', '--config-property', 'egret.packing=round-robn']),
      3,
      /--config-property: egret\.packing: no packing plugin named 'round-robn' \(did you mean 'round-robin'\?\); registered packing plugins: balanced, ffd, resource-compliant-rr, round-robin/,
    );
  });

  it('exits 5 when the topology cannot be packed', () => {
    assertUserError(runEgret(['submit', 'local', WORD_COUNT, '--dry-run', '--config-property', 'topology.stmgrs=9']), 5, /9 containers but the topology has only 4 instances/);
  });

  it('exits 2 for usage errors', () => {
    assertUserError(runEgret(['sumbit']), 2, /unknown command 'sumbit'/);
    assertUserError(runEgret(['submit', 'local']), 2, /missing required argument 'topology-file'/);
    assertUserError(runEgret(['submit', 'local', WORD_COUNT, '--dry-run', '--dry-run-format', 'xml']), 2, /'xml' is invalid/);
    assertUserError(runEgret(['submit', 'local/a/b/c', WORD_COUNT, '--dry-run']), 2, /is not <cluster>\[\/<role>\[\/<env>\]\]/);
  });

  it('prints the stack trace of a user error only with --verbose', () => {
    const run = runEgret(['submit', 'local', 'examples/nope.ts', '--dry-run', '--verbose']);
    assert.equal(run.status, 4);
    assert.match(run.stderr, /\n\s+at /);
  });

  it('shows a cluster config with the file and line of every value, and the selected plugins', () => {
    const run = runEgret(['config', 'local', '--config-property', 'egret.resources.instance.cpu=2']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /egret\.packing\s+round-robin\s+conf\/local\/packing\.yaml:\d+/);
    assert.match(run.stdout, /egret\.resources\.instance\.cpu\s+2\s+--config-property \(overrides conf\/local\/packing\.yaml:\d+\)/);
    assert.match(run.stdout, /packing\s+round-robin\s+built-in/);
    const json = JSON.parse(runEgret(['config', 'local/ops/prod', '--format', 'json']).stdout) as { role: string; environment: string; values: Record<string, { source: string }> };
    assert.equal(json.role, 'ops');
    assert.equal(json.environment, 'prod');
    assert.match(json.values['egret.scheduler']?.source ?? '', /conf\/local\/scheduler\.yaml:\d+/);
  });

  it('shows plugin keys that have no value as (unset)', () => {
    const run = runEgret(['config', 'local', '--config-property', 'egret.uploader=s3', '--config-property', 'egret.uploader.s3.bucket=my-bucket']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /uploader plugin s3:/);
    assert.match(run.stdout, /egret\.uploader\.s3\.endpoint\s+\(unset\)\s+default \(plugin s3\)/);
  });

  it('warns about misspelled egret keys in egret config', () => {
    const run = runEgret(['config', 'local', '--config-property', 'egret.schedular=local']);
    assert.equal(run.status, 0);
    assert.match(run.stderr, /warning: --config-property: egret\.schedular is not a key Egret or a registered plugin reads \(did you mean 'egret\.scheduler'\?\)/);
  });

  it('uses an external plugin named in a cluster of its own config path', () => {
    const configPath = tempDir({
      'mine/client.yaml': `egret.plugins: [${JSON.stringify(join(REPO_ROOT, 'test/fixtures/external-plugin/single-container-packing.js'))}]\n`,
      'mine/packing.yaml': 'egret.packing: single-container\n',
    });
    const run = runEgret(['submit', 'mine', WORD_COUNT, '--dry-run', '--dry-run-format', 'json', '--config-path', configPath]);
    assert.equal(run.status, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as { algorithm: string; containers: unknown[] };
    assert.equal(plan.algorithm, 'single-container');
    assert.equal(plan.containers.length, 1);
  });
});
