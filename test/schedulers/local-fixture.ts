import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { ConfigValue } from '../../api/config-value.js';
import { Config, layerOf } from '../../core/config/config.js';
import { createPluginContainer } from '../../core/plugins/plugin-container.js';
import { packingPlanToProto } from '../../core/proto/index.js';
import { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { Scheduler } from '../../core/spi/scheduler.js';
import { StateManager } from '../../core/spi/state-manager.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import type { ExecutorEvent } from '../../schedulers/local/executor-process.js';
import { LocalExecutorCommand } from '../../schedulers/local/local-commands.js';
import { LocalExecutorEvents, type LocalScheduler } from '../../schedulers/local/local-scheduler.js';
import { localSchedulerPlugin } from '../../schedulers/local/local-scheduler-plugin.js';
import { LocalWorkingDirectory } from '../../schedulers/local/local-working-directory.js';
import { isAlive } from '../../schedulers/local/process-termination.js';
import { MemoryStateManager } from '../helpers/memory-state-manager.js';
import { packingPlanOf } from '../helpers/runtime-plans.js';
import { waitFor } from '../helpers/wait-for.js';
import { DUMMY_EXECUTOR_COMMAND } from './dummy-commands.js';
import type { DummyExecutorBehaviour } from './dummy-executor.js';

/** Node starting on a busy 2-core machine, several times over; waits end on their condition long before. */
export const DEADLINE_MS = 30_000;

/** The topology the fixtures schedule: two containers of two tasks. */
export const TWO_CONTAINERS: PackingPlan = packingPlanOf('t-1', { 1: [['words', 1, 0], ['count', 3, 0]], 2: [['words', 2, 1], ['count', 4, 1]] });

/** A {@link LocalScheduler} in this process, with dummy executors, over a state in memory. */
export interface LocalSchedulerFixture {
  readonly scheduler: LocalScheduler;
  readonly dir: LocalWorkingDirectory;
  readonly state: MemoryStateManager;
  readonly events: ExecutorEvent[];
  /** Sets what the dummy executors do from their next start on. */
  behave(behaviours: Readonly<Record<string, DummyExecutorBehaviour>>): void;
  /** Another LocalScheduler of the same topology and directory, as a fresh process would create it. */
  another(): Promise<LocalScheduler>;
  /** Waits until executor `c` runs (with another pid than `notPid`), and its child too; returns both pids. */
  running(container: number, notPid?: number): Promise<{ executor: number; child: number }>;
}

/**
 * Builds a local scheduler the way the plugin container does (the real module, its config validated), rebinding
 * only the executor command (dummies), the event observer and the state (in memory). Every process it started is
 * killed when the test file ends, by a fresh scheduler from the pid files.
 */
export async function localSchedulerFixture(options: { readonly config?: Readonly<Record<string, ConfigValue>>; readonly plan?: PackingPlan } = {}): Promise<LocalSchedulerFixture> {
  // Not tempDir(): its removal would run before the kill below, which needs the pid files.
  const root = mkdtempSync(join(tmpdir(), 'egret-local-'));
  const behaviourFile = join(root, 'behaviour.json');
  writeFileSync(behaviourFile, '{}');
  process.env['EGRET_DUMMY_EXECUTOR_BEHAVIOUR'] = behaviourFile;
  const workingDir = join(root, 'work');
  const state = new MemoryStateManager();
  const plan = options.plan ?? TWO_CONTAINERS;
  const events: ExecutorEvent[] = [];
  const config = new Config([
    layerOf(
      { kind: 'file', file: 'test/scheduler.yaml' },
      {
        'egret.scheduler': 'local',
        'egret.scheduler.local.working.directory': workingDir,
        'egret.scheduler.local.kill.grace.ms': 1000,
        'egret.scheduler.local.restart.backoff.min.ms': 50,
        'egret.scheduler.local.restart.backoff.max.ms': 400,
        ...options.config,
      },
    ),
  ]);
  const runtime: TopologyRuntime = { topologyName: 't', topologyId: 't-1', cluster: 'local', role: 'tester', environment: 'default', submitUser: 'tester', packageUri: 'file:///nowhere/t.tar.gz' };
  await state.set('packingplans', 't', packingPlanToProto(plan));
  const create = async (): Promise<LocalScheduler> => {
    const registry = new PluginRegistry();
    registry.register(localSchedulerPlugin);
    const container = await createPluginContainer({
      config,
      registry,
      families: ['scheduler'],
      bind: (c) => {
        c.bind(TopologyRuntime).toConstantValue(runtime);
        c.bind(StateManager).toConstantValue(state);
        c.bind(LocalExecutorCommand).toConstantValue(DUMMY_EXECUTOR_COMMAND);
        c.bind(LocalExecutorEvents).toConstantValue((event: ExecutorEvent) => events.push(event));
      },
    });
    return container.get<LocalScheduler>(Scheduler);
  };
  const scheduler = await create();
  const dir = new LocalWorkingDirectory(workingDir);
  after(async () => {
    try {
      await scheduler.close();
      await (await create()).onKill({ topologyName: 't' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  return {
    scheduler,
    dir,
    state,
    events,
    behave: (behaviours) => writeFileSync(behaviourFile, JSON.stringify(behaviours)),
    another: create,
    running: (container, notPid) =>
      waitFor(
        `executor ${container} and its child to run${notPid === undefined ? '' : ` with a pid other than ${notPid}`}`,
        () => {
          const executor = dir.executorPids().get(container);
          const child = dir.childPids(container).get(`child-${container}`);
          const ok = executor !== undefined && executor !== notPid && isAlive(executor) && child !== undefined && isAlive(child) && parentOf(child) === executor;
          return ok ? { executor, child } : undefined;
        },
        DEADLINE_MS,
      ),
  };
}

/** Waits until none of `pids` is alive. */
export function waitForGone(pids: Iterable<number>, what: string): Promise<true> {
  const all = [...pids];
  return waitFor(`${what} (${all.join(', ')}) to be gone`, () => all.every((pid) => !isAlive(pid)), DEADLINE_MS);
}

/** The parent pid of `pid`, from /proc; undefined once it is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
