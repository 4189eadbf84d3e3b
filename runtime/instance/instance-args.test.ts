import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { socketPathOf } from './gateway/stmgr-endpoint.js';
import { parseInstanceArgs } from './instance-args.js';

const base = ['--package-dir', '/pkg', '--container', '2', '--task-id', '7', '--stmgr-endpoint', 'unix-abstract:egret/t/stmgr-2'];

describe('egret-instance command line', () => {
  it('reads the options of runtime/README.md, and the component when given', () => {
    assert.deepEqual(parseInstanceArgs(base), { packageDir: '/pkg', container: 2, taskId: 7, stmgrEndpoint: 'unix-abstract:egret/t/stmgr-2' });
    assert.deepEqual(parseInstanceArgs([...base, '--component', 'split', '--component-index', '0']), {
      packageDir: '/pkg',
      container: 2,
      taskId: 7,
      stmgrEndpoint: 'unix-abstract:egret/t/stmgr-2',
      component: 'split',
      componentIndex: 0,
    });
  });

  it('names the bad or missing option', () => {
    assert.throws(() => parseInstanceArgs(base.slice(2)), /--package-dir is required/);
    assert.throws(() => parseInstanceArgs([...base.slice(0, 4), '--task-id', '0', ...base.slice(6)]), /--task-id: expected a whole number >= 1, got '0'/);
    assert.throws(() => parseInstanceArgs([...base, '--component', 'x']), /--component and --component-index go together/);
    assert.throws(() => parseInstanceArgs([...base, '--nope']), /Unknown option '--nope'[\s\S]*usage: egret-instance/);
  });

  it('reaches socket files and the abstract namespace', () => {
    assert.equal(socketPathOf('unix:/run/egret.sock'), '/run/egret.sock');
    assert.equal(socketPathOf('unix-abstract:egret/t/stmgr-1'), '\0egret/t/stmgr-1');
    assert.throws(() => socketPathOf('tcp://localhost:1'), /neither unix:\/absolute\/path nor unix-abstract:name/);
    assert.throws(() => socketPathOf('unix:relative'), /neither/);
  });
});
