import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtInRegistry } from '../../bin/built-in-plugins.js';
import { createPluginContainer } from '../../core/plugins/plugin-container.js';
import type { ProtoPhysicalPlan } from '../../core/proto/index.js';
import { Scheduler } from '../../core/spi/scheduler.js';
import { StateManager } from '../../core/spi/state-manager.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { installedEntryPoint } from '../../schedulers/local/local-commands.js';
import type { LocalScheduler } from '../../schedulers/local/local-scheduler.js';
import { isAlive } from '../../schedulers/local/process-termination.js';
import { waitFor } from '../helpers/wait-for.js';
import { type PreparedLocalTopology, prepareLocalTopology } from './launched-topology.js';

/** Generous: two containers of real Node processes, the stream manager's native addon, on a busy 2-core machine. */
const DEADLINE_MS = 90_000;

function complete(plan: ProtoPhysicalPlan): boolean {
  return (plan.stmgrs?.length ?? 0) === 2 && (plan.instances?.length ?? 0) === 4;
}

function waitForPhysicalPlan(local: PreparedLocalTopology, accept: (plan: ProtoPhysicalPlan) => boolean = complete): Promise<ProtoPhysicalPlan> {
  return waitFor('a complete physical plan', async () => {
    const plan = await local.topology.state.find('pplans', local.topology.runtime.topologyName);
    return plan && accept(plan) ? plan : undefined;
  }, DEADLINE_MS, 100);
}

/** Every process of the topology the pid files name and that is alive: executors and their children. */
function topologyPids(local: PreparedLocalTopology): Map<string, number> {
  const { dir } = local;
  const pids = new Map<string, number>();
  for (const [container, pid] of dir.executorPids()) pids.set(`executor-${container}`, pid);
  for (const container of dir.containerDirs()) for (const [name, pid] of dir.childPids(container)) pids.set(name, pid);
  return new Map([...pids].filter(([, pid]) => isAlive(pid)));
}

// The local scheduler with the real egret-executor, topology manager, stream managers and instances.
describe('the local scheduler with the real runtime', () => {
  it('runs the tiny topology, restarts a SIGKILLed executor with its processes, and kills leaving nothing', async () => {
    const local = await prepareLocalTopology();
    const { topology } = local;
    const runtime: TopologyRuntime = { ...topology.runtime, packageUri: topology.packageFileUri };
    const container = await createPluginContainer({
      config: topology.config,
      registry: builtInRegistry(),
      families: ['scheduler'],
      bind: (c) => {
        c.bind(TopologyRuntime).toConstantValue(runtime);
        c.bind(StateManager).toConstantValue(topology.state);
      },
    });
    const scheduler = container.get<LocalScheduler>(Scheduler);
    try {
      await scheduler.onSchedule(topology.plan);
      await waitForPhysicalPlan(local);
      const before = topologyPids(local);
      for (const name of ['executor-0', 'executor-1', 'executor-2', 'tmanager', 'stmgr-1', 'stmgr-2']) assert.ok(before.has(name), `${name} runs (running: ${[...before.keys()].join(', ')})`);

      const stmgr1 = before.get('stmgr-1') as number;
      process.kill(before.get('executor-1') as number, 'SIGKILL');
      await local.executor(1, before.get('executor-1'));
      await waitFor('stmgr-1 to die with its executor and come back', () => {
        const now = topologyPids(local).get('stmgr-1');
        return !isAlive(stmgr1) && now !== undefined && now !== stmgr1;
      }, DEADLINE_MS);
      await waitForPhysicalPlan(local, (plan) => complete(plan) && plan.stmgrs?.find((s) => s.id === 'stmgr-1')?.pid !== stmgr1);

      const all = new Map([...before, ...topologyPids(local)]);
      const started = Date.now();
      await scheduler.onKill({ topologyName: topology.runtime.topologyName });
      const survivors = [...all].filter(([, pid]) => isAlive(pid));
      assert.deepEqual(survivors, [], `nothing of the topology is left (kill took ${Date.now() - started} ms)`);
    } finally {
      await scheduler.close();
    }
  });

  it('runs end to end: the launcher starts egret-scheduler, which starts egret-executors, and an HTTP kill stops them all', async () => {
    const local = await prepareLocalTopology();
    await (await local.launcher(installedEntryPoint('egret-scheduler'))).launch(local.topology.plan, local.topology.packageFileUri);
    await waitForPhysicalPlan(local);
    const scheduler = local.schedulerPid() as number;
    const all = topologyPids(local);
    const started = Date.now();
    await (await local.httpClient()).kill({ topologyName: local.topology.runtime.topologyName });
    const killMs = Date.now() - started;
    assert.deepEqual([...all].filter(([, pid]) => isAlive(pid)), [], 'nothing of the topology is left when the kill returns');
    await waitFor('the scheduler process to exit', () => !isAlive(scheduler), DEADLINE_MS);
    process.stdout.write(`# kill of 2 containers over HTTP: ${killMs} ms, ${all.size} processes\n`);
  });
});
