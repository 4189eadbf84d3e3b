import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseExecutorArgs } from './executor-args.js';

describe('parseExecutorArgs', () => {
  it('reads the three options, the working directory made absolute', () => {
    assert.deepEqual(parseExecutorArgs(['--package-uri', 'file:///p.tar.gz', '--container', '2', '--working-dir', 'w']), {
      packageUri: 'file:///p.tar.gz',
      container: 2,
      workingDir: resolve('w'),
    });
  });

  it('names a missing option, a bad container id and an unknown option', () => {
    assert.throws(() => parseExecutorArgs(['--container', '1', '--working-dir', 'w']), { code: 'EXECUTOR_USAGE', message: '--package-uri is required' });
    assert.throws(() => parseExecutorArgs(['--package-uri', 'u', '--container=-1', '--working-dir', 'w']), { code: 'EXECUTOR_USAGE', message: /--container: expected a container id .* got '-1'/ });
    assert.throws(() => parseExecutorArgs(['--package-uri', 'u', '--container', '1', '--working-dir', 'w', '--shard', '3']), { code: 'EXECUTOR_USAGE', message: /shard/ });
  });
});
