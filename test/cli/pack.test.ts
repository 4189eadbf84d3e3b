import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runEgret, type EgretRun } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The classic fixture as a spec file: spout ×4 asking 2 GiB, bolt ×3 asking 2 cores, 2 stmgrs, 4 per container. */
const CLASSIC_SPEC = JSON.stringify({
  name: 'classic',
  spouts: [{ name: 'spout', parallelism: 4, ram: 2147483648, outputs: { default: ['word'] } }],
  bolts: [{ name: 'bolt', parallelism: 3, cpu: 2, inputs: [{ component: 'spout', stream: 'default', grouping: 'fields', fields: ['word'] }] }],
  config: { 'topology.stmgrs': 2, 'topology.container.max.instances': 4 },
});

/** A user error: the exit code, one `egret: ` line on stderr matching `pattern`, nothing on stdout. */
function assertUserError(run: EgretRun, status: number, pattern: RegExp): void {
  assert.equal(run.status, status, `exit status; stderr: ${run.stderr}`);
  assert.match(run.stderr, /^egret: /);
  assert.match(run.stderr, pattern);
  assert.equal(run.stderr.trimEnd().split('\n').length, 1, `one line: ${run.stderr}`);
  assert.equal(run.stdout, '');
}

describe('egret pack', () => {
  const spec = join(tempDir({ 'classic.json': CLASSIC_SPEC }), 'classic.json');

  it('prints the plan of the configured algorithm (round-robin on local) as a table', () => {
    const run = runEgret(['pack', spec]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^packing plan 'classic' \(round-robin\): 2 containers, 7 instances\n/);
    assert.match(run.stdout, /the instances' share of its required resources/);
    assert.match(run.stdout, /^ +1 +4 +7 +8 GiB +16 GiB .* spout#1,3 bolt#5,7$/m);
  });

  it('uses the --algorithm given, showing utilisation against the container capacity', () => {
    const run = runEgret(['pack', spec, '--algorithm', 'ffd', '--cluster', 'local']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        "packing plan 'classic' (ffd): 4 containers, 7 instances",
        "cpu, ram, disk: required per container (instances + padding); %: the instances' share of a container's capacity (cpu 4, ram 4 GiB, disk 4 GiB)",
        '',
        'container  instances  cpu     ram    disk  cpu%  ram%  disk%  tasks',
        '        1          2    4   4 GiB   3 GiB   75%   75%    50%  spout#1 bolt#5',
        '        2          2    4   4 GiB   3 GiB   75%   75%    50%  spout#2 bolt#6',
        '        3          2    4   4 GiB   3 GiB   75%   75%    50%  spout#3 bolt#7',
        '        4          1    2   3 GiB   2 GiB   25%   50%    25%  spout#4',
        '    total          7   14  15 GiB  11 GiB   63%   69%    44%',
        '',
      ].join('\n'),
    );
  });

  it('prints the JSON form, taking --config-property overrides', () => {
    const run = runEgret(['pack', spec, '--algorithm', 'resource-compliant-rr', '--format', 'json', '--config-property', 'topology.container.max.instances=8']);
    assert.equal(run.status, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as { algorithm: string; containers: Array<{ id: number; required: object; instances: Array<{ component: string; taskId: number }> }> };
    assert.equal(plan.algorithm, 'resource-compliant-rr');
    // 8 default instances per container: 7 usable cores and GiB; dealt over 2 containers, 1 gets spouts 1, 3 and
    // bolts 5, 7: 6 cores, 6 GiB.
    assert.deepEqual(plan.containers.map((c) => c.instances.map((i) => i.taskId)), [[1, 3, 5, 7], [2, 4, 6]]);
    assert.deepEqual(plan.containers[0]?.required, { cpu: 7, ram: 7 * 2 ** 30, disk: 5 * 2 ** 30 });
  });

  it('exits 5 with one line when the topology cannot be packed', () => {
    assertUserError(runEgret(['pack', spec, '--algorithm', 'ffd', '--config-property', 'topology.container.ram=2GiB']), 5, /an instance of 'spout' .* does not fit an empty container/);
  });

  it('exits 3 for an unknown algorithm, listing the registered ones', () => {
    assertUserError(runEgret(['pack', spec, '--algorithm', 'fdd']), 3, /egret\.packing: no packing plugin named 'fdd' \(did you mean 'ffd'\?\); registered packing plugins: .*resource-compliant-rr, round-robin/);
  });

  it('exits 4 for a missing topology file and 2 for a bad --format', () => {
    assertUserError(runEgret(['pack', 'nope.json']), 4, /topology file 'nope\.json' does not exist/);
    assertUserError(runEgret(['pack', spec, '--format', 'xml']), 2, /'xml' is invalid/);
  });
});

describe('egret repack', () => {
  const dir = tempDir({ 'classic.json': CLASSIC_SPEC, 'broken.json': '{"algorithm": "ffd",' });
  const spec = join(dir, 'classic.json');
  const planFile = join(dir, 'plan.json');
  const otherPlan = join(dir, 'other-plan.json');
  const repack = (...args: string[]) => runEgret(['repack', spec, ...args]);

  before(() => {
    const packed = runEgret(['pack', spec, '--algorithm', 'ffd', '--format', 'json']);
    assert.equal(packed.status, 0, packed.stderr);
    writeFileSync(planFile, packed.stdout);
    writeFileSync(otherPlan, packed.stdout.replaceAll('"bolt"', '"counter"'));
  });

  it('reads the plan egret pack printed and prints the repacked plan as a table', () => {
    const run = repack('--plan', planFile, '--parallelism', 'spout:2', '--parallelism', 'bolt:5', '--algorithm', 'ffd');
    assert.equal(run.status, 0, run.stderr);
    // As in ffd-repacking.test: spout 3 and 4 go (container 4 with it), bolts 8 and 9 open containers 5 and 6.
    assert.match(run.stdout, /^repack of .*plan\.json \(4 containers\): spout 4 -> 2, bolt 3 -> 5\npacking plan 'classic' \(ffd\): 5 containers, 7 instances\n/);
    assert.match(run.stdout, /share of a container's capacity \(cpu 4, ram 4 GiB, disk 4 GiB\)/);
    assert.match(run.stdout, /^ +3 +1 .* bolt#7$/m);
    assert.match(run.stdout, /^ +6 +1 .* bolt#9$/m);
  });

  it('prints JSON that it reads back, with the configured repacking algorithm by default', () => {
    const run = repack('--plan', planFile, '--parallelism', 'bolt:4', '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as { algorithm: string; containers: Array<{ instances: Array<{ taskId: number }> }> };
    // local's egret.repacking is round-robin: a fresh pack of 8 instances over ceil(8 / (7 / 4)) = 5 containers.
    assert.equal(plan.algorithm, 'round-robin');
    assert.equal(plan.containers.length, 5);
    assert.deepEqual(plan.containers.flatMap((c) => c.instances.map((i) => i.taskId)).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('exits 2 with one line for a --plan it cannot use', () => {
    assertUserError(repack('--plan', join(dir, 'missing.json'), '--parallelism', 'bolt:4'), 2, /--plan .*missing\.json: no such file\n$/);
    assertUserError(repack('--plan', join(dir, 'broken.json'), '--parallelism', 'bolt:4'), 2, /--plan .*broken\.json: invalid JSON: /);
    assertUserError(repack('--plan', spec, '--parallelism', 'bolt:4'), 2, /--plan .*classic\.json: not a packing plan: algorithm: expected a packing algorithm name; containers: /);
    assertUserError(repack('--plan', otherPlan, '--parallelism', 'bolt:4'), 2, /is not a plan of topology 'classic': it has instances of 'counter', .*; it has no instance of 'bolt'/);
  });

  it('exits 2 with one line for a --parallelism it cannot use', () => {
    assertUserError(repack('--plan', planFile, '--parallelism', 'bolt=4'), 2, /--parallelism 'bolt=4': expected <component>:<N>/);
    assertUserError(repack('--plan', planFile, '--parallelism', 'sink:4'), 2, /--parallelism: component 'sink' is not in the topology \(components: spout, bolt\)/);
    assertUserError(repack('--plan', planFile, '--parallelism', 'bolt:0'), 2, /--parallelism: parallelism of 'bolt' must be a whole number >= 1, got 0/);
    assertUserError(repack('--plan', planFile), 2, /required option '--parallelism <component:N>' not specified/);
  });

  it('exits 5 with one line when the new instances cannot fit', () => {
    assertUserError(
      repack('--plan', planFile, '--parallelism', 'spout:5', '--algorithm', 'resource-compliant-rr', '--config-property', 'topology.container.ram=2GiB'),
      5,
      /cannot repack topology 'classic': an instance of 'spout' .* does not fit an empty container/,
    );
  });
});
