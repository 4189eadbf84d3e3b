import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseMetricsManagerArgs } from './metricsmgr-args.js';

describe('parseMetricsManagerArgs', () => {
  it('reads the three options, directories made absolute', () => {
    assert.deepEqual(parseMetricsManagerArgs(['--package-dir', 'p', '--container', '0', '--working-dir', 'w']), { packageDir: resolve('p'), container: 0, workingDir: resolve('w') });
  });

  it('names a missing option, a bad container id and an unknown option', () => {
    assert.throws(() => parseMetricsManagerArgs(['--package-dir', 'p', '--container', '1']), { code: 'METRICSMGR_USAGE', message: '--working-dir is required' });
    assert.throws(() => parseMetricsManagerArgs(['--package-dir', 'p', '--container', 'one', '--working-dir', 'w']), /--container: expected a container id \(0, 1, 2, \.\.\.\), got 'one'/);
    assert.throws(() => parseMetricsManagerArgs(['--package-dir', 'p', '--container', '1', '--working-dir', 'w', '--port', '3']), { code: 'METRICSMGR_USAGE' });
  });
});
