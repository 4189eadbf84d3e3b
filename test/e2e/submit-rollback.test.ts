// A submit that fails after it has done something undoes it (core/submit/submitter.ts), end to end on the local
// cluster: it exits 5 with a message naming the step that failed and what was undone, and leaves no state node, no
// uploaded package and no process. Each failure is forced through the config a user could get wrong.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { E2eCluster, WORD_COUNT } from './e2e-cluster.js';

const cluster = new E2eCluster('local');
const NAME = 'word-count';

/** A path nothing can be created under: its parent is a regular file. */
function uncreatablePath(): string {
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, 'not a directory\n');
  return join(file, 'sub');
}

/** The files under the localfs uploader's packages directory (`~/.egret/packages`). */
function uploadedPackages(): string[] {
  const dir = join(cluster.home, '.egret', 'packages');
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.tar.gz')) : [];
}

/** Nothing of the failed submit is left: no state, no package, no process. */
async function assertNothingLeft(): Promise<void> {
  assert.equal(await cluster.state(NAME), undefined, 'no state node of the topology');
  assert.deepEqual(await cluster.running(), []);
  assert.deepEqual(uploadedPackages(), [], 'no uploaded package');
  assert.deepEqual(cluster.processes(), [], 'no process');
}

describe('a submit that fails is rolled back', { timeout: 5 * 60_000 }, () => {
  after(() => cluster.cleanUp());

  it('a launch that fails (the working directory cannot be made) undoes the state and the upload', async () => {
    const run = await cluster.egret(['submit', 'local', WORD_COUNT, '--wait', '--config-property', `egret.scheduler.local.working.directory=${uncreatablePath()}`]);
    assert.equal(run.status, 5, `${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /^egret: submit of 'word-count' failed at step 'launch': cannot prepare the working directory /m);
    assert.match(run.stderr, /; undone: execution state node, packing plan node, topology node, upload$/m);
    // The steps before it had been reported done.
    assert.match(run.stdout, /uploaded to file:\/\//);
    assert.match(run.stdout, /topology, packing plan and execution state written/);
    await assertNothingLeft();
  });

  it('a scheduler process that does not come up in time is stopped, and the submit undone', async () => {
    const run = await cluster.egret(['submit', 'local', WORD_COUNT, '--config-property', 'egret.scheduler.local.launch.timeout.ms=1']);
    assert.equal(run.status, 5, `${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /^egret: submit of 'word-count' failed at step 'launch': launching the scheduler of 'word-count' failed: the scheduler process did not write its location within 1 ms/m);
    assert.match(run.stderr, /undone: execution state node, packing plan node, topology node, upload/);
    await assertNothingLeft();
  });

  it('an upload that fails leaves nothing in the state', async () => {
    const run = await cluster.egret(['submit', 'local', WORD_COUNT, '--config-property', `egret.uploader.localfs.directory=${uncreatablePath()}`]);
    assert.equal(run.status, 5, `${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /^egret: submit of 'word-count' failed at step 'upload': .*; nothing had been done$/m);
    await assertNothingLeft();
  });

  it('after all that, the same submit with a sound config runs', async () => {
    await cluster.submitWordCount();
    assert.equal(cluster.processes().length, 14);
    const run = await cluster.egret(['kill', 'local', NAME]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(cluster.processes(), []);
    assert.equal(await cluster.state(NAME), undefined);
  });
});
