import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPackingPlan } from '../../core/spi/packing-plan.js';
import { Resource } from '../../core/spi/resource.js';
import { containerOfProcess, containerProcesses } from './container-processes.js';

describe('containerProcesses', () => {
  const one = new Resource(1, 1024, 1024);
  const task = (component: string, taskId: number, componentIndex: number) => ({ component, taskId, componentIndex, resources: one });
  const plan = createPackingPlan('t', [
    { id: 1, instances: [task('words', 1, 0), task('count', 3, 0)], required: one },
    { id: 2, instances: [task('words', 2, 1)], required: one },
  ]);

  it('runs the topology manager and its metrics manager in container 0', () => {
    assert.deepEqual([...containerProcesses({ container: 0, packageDir: '/w/package', topologyId: 't-1' }).values()], [
      { name: 'tmanager', kind: 'tmanager', args: ['--package-dir', '/w/package'] },
      { name: 'metricsmgr-0', kind: 'metricsmgr', args: ['--package-dir', '/w/package', '--container', '0', '--working-dir', '/w'], niceness: 19 },
    ]);
  });

  it('runs the stream manager, the metrics manager and one instance per task in container c, named as Heron does', () => {
    const processes = containerProcesses({ container: 1, packageDir: '/w/package', topologyId: 't-1', plan: plan.containers[0] });
    assert.deepEqual([...processes.keys()], ['stmgr-1', 'metricsmgr-1', 'container_1_words_1', 'container_1_count_3'], 'instances in task id order');
    assert.deepEqual(processes.get('stmgr-1')?.args, ['--package-dir', '/w/package', '--container', '1']);
    assert.deepEqual(processes.get('container_1_count_3'), {
      name: 'container_1_count_3',
      kind: 'instance',
      args: ['--package-dir', '/w/package', '--container', '1', '--task-id', '3', '--stmgr-endpoint', 'unix-abstract:egret/t-1/stmgr-1', '--component', 'count', '--component-index', '0'],
    });
  });

  it('gives the metrics manager the executor’s working directory when told it', () => {
    const processes = containerProcesses({ container: 2, packageDir: '/unpacked/here', workingDir: '/work/c2', topologyId: 't-1', plan: plan.containers[1] });
    assert.deepEqual(processes.get('metricsmgr-2'), {
      name: 'metricsmgr-2',
      kind: 'metricsmgr',
      args: ['--package-dir', '/unpacked/here', '--container', '2', '--working-dir', '/work/c2'],
      niceness: 19,
    });
  });

  it('needs the container’s own plan', () => {
    assert.throws(() => containerProcesses({ container: 1, packageDir: '/p', topologyId: 't', plan: plan.containers[1] }), /container 1 needs its own container plan/);
  });

  it('tells the container of a process name', () => {
    assert.deepEqual(
      ['tmanager', 'stmgr-12', 'metricsmgr-0', 'metricsmgr-4', 'container_3_my_bolt_7', 'executor', 'stmgr-x', 'metricsmgr-', 'metricsmgr-1x'].map(containerOfProcess),
      [0, 12, 0, 4, 3, undefined, undefined, undefined, undefined],
    );
  });
});
