import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TupleSerializer } from '../../api/serializer.js';
import { FakeStmgr } from '../helpers/fake-stmgr.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildInstancePackage, startInstance } from './instance-harness.js';
import { TEST_TOPOLOGY_SOURCE } from './test-topology.js';

const jsonSerializer: TupleSerializer = {
  serialize: (value) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes) => JSON.parse(Buffer.from(bytes).toString()) as unknown,
};

const JSON_SERIALIZER_MODULE = `
export function serialize(value) { return Buffer.from(JSON.stringify(value)); }
export function deserialize(bytes) { return JSON.parse(Buffer.from(bytes).toString()); }
`;

describe('egret-instance start-up', () => {
  it('refuses EFFECTIVELY_ONCE with a clear message, exiting non-zero', async () => {
    const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, { 'topology.reliability.mode': 'EFFECTIVELY_ONCE' });
    const instance = startInstance({ packageDir: pkg.dir, endpoint: 'unix:/nonexistent.sock', task: { taskId: 1, component: 'numbers', componentIndex: 0 } });
    const { code } = await instance.waitForExit();
    assert.equal(code, 1);
    assert.ok(
      instance.logs.some(
        (l) => l.level === 'error' && l.message === 'cannot start: topology.reliability.mode EFFECTIVELY_ONCE is not supported yet: this Egret runs ATMOST_ONCE and ATLEAST_ONCE topologies',
      ),
      instance.output.join('\n'),
    );
  });

  it('exits non-zero with its usage for a bad command line', async () => {
    const instance = startInstance({ packageDir: '/nonexistent', endpoint: 'unix:/x.sock', task: { taskId: 1, component: 'numbers', componentIndex: 0 }, extraArgs: ['--bogus'] });
    const { code } = await instance.waitForExit();
    assert.equal(code, 1);
    assert.match(instance.output.join('\n'), /Unknown option '--bogus'.*\\nusage: egret-instance --package-dir DIR/);
  });

  it('uses the serializer module topology.serializer names, resolved from the package', async () => {
    const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, { 'topology.serializer': './json-serializer.mjs', 'test.spout.limit': 20 });
    writeFileSync(join(pkg.dir, 'json-serializer.mjs'), JSON_SERIALIZER_MODULE);
    const stmgr = await FakeStmgr.start({ topology: pkg.topology, topologyId: pkg.topologyId, serializer: jsonSerializer });
    after(() => stmgr.close());
    startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task: stmgr.task('numbers') });
    const bolt = stmgr.task('sink', 0);
    startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task: bolt });
    await waitFor('20 tuples', () => stmgr.tuplesOn('default').length === 20, 15_000);
    assert.deepEqual(
      stmgr.tuplesOn('default').map((t) => t.values[0]),
      Array.from({ length: 20 }, (_, i) => i),
    );
    await waitFor('the bolt', () => stmgr.tuplesOn('lifecycle').some((t) => t.srcTaskId === bolt.taskId), 15_000);
    stmgr.sendTuples(bolt.taskId, { taskId: 1, component: 'numbers' }, [[{ json: true }]]);
    await waitFor('the tuple executed', () => stmgr.tuplesOn('seen').length === 1, 10_000);
    assert.deepEqual(stmgr.tuplesOn('seen')[0]?.values, ['numbers', 'default', 1, [{ json: true }], false]);
  });

  it('exits non-zero naming topology.serializer when its module cannot be loaded', async () => {
    const pkg = await buildInstancePackage(TEST_TOPOLOGY_SOURCE, { 'topology.serializer': './missing.mjs' });
    const stmgr = await FakeStmgr.start({ topology: pkg.topology, topologyId: pkg.topologyId });
    after(() => stmgr.close());
    const instance = startInstance({ packageDir: pkg.dir, endpoint: stmgr.endpoint, task: stmgr.task('numbers') });
    const { code } = await instance.waitForExit();
    assert.equal(code, 1);
    assert.ok(
      instance.logs.some((l) => l.level === 'error' && /topology\.serializer: cannot load '\.\/missing\.mjs'/.test(l.message)),
      instance.output.join('\n'),
    );
  });
});
