import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeTinyTopology } from '../helpers/package-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TopologyHarness } from '../helpers/topology-harness.js';

// The real egret-executor with the real topology manager, stream managers and instances: the wiring of
// bin/egret-executor.ts. A failure here may lie in any of those processes; their logs are in the harness's root.
describe('egret-executor with the real runtime processes', () => {
  it('runs the tiny topology on two containers until the physical plan names every stream manager and instance, then stops leaving nothing', async () => {
    const harness = await TopologyHarness.start({ topologyFile: writeTinyTopology(join(tempDir(), 'src')), containers: 2, deadlineMs: 60_000 });
    after(() => harness.stop());
    const plan = await harness.waitForPhysicalPlan({ accept: (p) => (p.stmgrs?.length ?? 0) === 2 && (p.instances?.length ?? 0) === 4 });
    assert.deepEqual(plan.stmgrs?.map((s) => s.id).sort(), ['stmgr-1', 'stmgr-2']);
    assert.deepEqual(plan.instances?.map((i) => i.info?.taskId).sort(), [1, 2, 3, 4]);
    assert.deepEqual([...(await harness.waitForProcesses()).keys()].sort(), harness.containers.flatMap((c) => harness.processNames(c)).sort());
    await harness.stop();
  });
});
