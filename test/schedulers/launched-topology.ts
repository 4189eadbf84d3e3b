import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { ConfigValue } from '../../api/config-value.js';
import { builtInRegistry } from '../../bin/built-in-plugins.js';
import { createPluginContainer } from '../../core/plugins/plugin-container.js';
import type { ProtoSchedulerLocation } from '../../core/proto/index.js';
import { Launcher } from '../../core/spi/launcher.js';
import { StateManager } from '../../core/spi/state-manager.js';
import { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { HttpSchedulerClient } from '../../core/submit/scheduler-client-http.js';
import { LibrarySchedulerClient } from '../../core/submit/scheduler-client-library.js';
import type { SchedulerClientContext } from '../../core/submit/scheduler-client-factory.js';
import { type LocalCommand, LocalSchedulerCommand } from '../../schedulers/local/local-commands.js';
import { LocalWorkingDirectory, SCHEDULER_PROCESS_NAME } from '../../schedulers/local/local-working-directory.js';
import { stopProcessGroup } from '../../schedulers/local/process-group.js';
import { isAlive } from '../../schedulers/local/process-termination.js';
import { type HarnessTopology, prepareHarnessTopology } from '../helpers/harness-setup.js';
import { writeTinyTopology } from '../helpers/package-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
import { DUMMY_SCHEDULER_COMMAND } from './dummy-commands.js';
import { DEADLINE_MS, parentOf } from './local-fixture.js';

/** The tiny topology submitted to a temporary localfs state, ready for the local launcher. */
export interface PreparedLocalTopology {
  readonly topology: HarnessTopology;
  readonly dir: LocalWorkingDirectory;
  /** The local launcher, from the real plugin module, with `schedulerCommand` (default: dummy executors). */
  launcher(schedulerCommand?: LocalCommand): Promise<Launcher>;
  /** What the factory and the library client need to reach the topology's scheduler from this process. */
  readonly clientContext: SchedulerClientContext;
  /** The scheduler location in the state, if any. */
  location(): Promise<ProtoSchedulerLocation | undefined>;
  /** An HTTP client of the scheduler at its current location. */
  httpClient(): Promise<HttpSchedulerClient>;
  /** The scheduler process's pid, from its pid file. */
  schedulerPid(): number | undefined;
  /** Waits until executor `c` runs with a pid other than `notPid`; returns its pid. */
  executor(container: number, notPid?: number): Promise<number>;
  /** The pids of the executors and their children now alive, by the pid files. */
  livePids(): number[];
  /** Waits until executors 0, 1, 2 and their dummy children run; returns their six pids. */
  allRunning(): Promise<number[]>;
}

/**
 * Builds the tiny topology (2 containers) into a temporary directory, writes its state (localfs) with the local
 * scheduler's working directory there too, and readies the local launcher. When the test file ends, the scheduler
 * process's group is stopped and a library-mode kill sweeps whatever is left.
 */
export async function prepareLocalTopology(config: Readonly<Record<string, ConfigValue>> = {}): Promise<PreparedLocalTopology> {
  // Not tempDir(): its removal would run before the kill below, which needs the pid files.
  const root = mkdtempSync(join(tmpdir(), 'egret-local-'));
  const workingDir = join(root, 'work');
  const topology = await prepareHarnessTopology(root, {
    topologyFile: writeTinyTopology(join(root, 'src')),
    containers: 2,
    config: {
      'egret.scheduler.local.working.directory': workingDir,
      'egret.scheduler.local.kill.grace.ms': 3000,
      'egret.scheduler.local.restart.backoff.min.ms': 50,
      'egret.scheduler.local.restart.backoff.max.ms': 400,
      ...config,
    },
  });
  const dir = new LocalWorkingDirectory(workingDir);
  const clientContext: SchedulerClientContext = { state: topology.state, topologyName: topology.runtime.topologyName, config: topology.config, registry: builtInRegistry(), runtime: topology.runtime, fallbackToLibrary: true };
  after(async () => {
    try {
      const pid = dir.readPid(SCHEDULER_PROCESS_NAME);
      if (pid !== undefined && isAlive(pid)) await stopProcessGroup(pid, 2000);
      await new LibrarySchedulerClient(clientContext).kill({ topologyName: topology.runtime.topologyName });
      await topology.state.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  const location = () => topology.state.find('schedulers', topology.runtime.topologyName);
  return {
    topology,
    dir,
    clientContext,
    launcher: async (schedulerCommand = DUMMY_SCHEDULER_COMMAND) => {
      const container = await createPluginContainer({
        config: topology.config,
        registry: builtInRegistry(),
        families: ['launcher'],
        bind: (c) => {
          c.bind(TopologyRuntime).toConstantValue(topology.runtime);
          c.bind(StateManager).toConstantValue(topology.state);
          c.bind(LocalSchedulerCommand).toConstantValue(schedulerCommand);
        },
      });
      return container.get<Launcher>(Launcher);
    },
    location,
    httpClient: async () => {
      const found = await location();
      if (!found) throw new Error('the scheduler has no location');
      return new HttpSchedulerClient(found.httpEndpoint, topology.runtime.topologyName);
    },
    schedulerPid: () => dir.readPid(SCHEDULER_PROCESS_NAME),
    executor: (container, notPid) =>
      waitFor(
        `executor ${container} to run${notPid === undefined ? '' : ` with a pid other than ${notPid}`}`,
        () => {
          const pid = dir.executorPids().get(container);
          return pid !== undefined && pid !== notPid && isAlive(pid) ? pid : undefined;
        },
        DEADLINE_MS,
      ),
    livePids: () => livePids(dir),
    allRunning: () => waitFor('three executors and their children to run', () => (livePids(dir).length === 6 ? livePids(dir) : undefined), DEADLINE_MS),
  };
}

function livePids(dir: LocalWorkingDirectory): number[] {
  const executors = [...dir.executorPids().values()];
  const children = dir.containerDirs().flatMap((c) => [...dir.childPids(c).values()]);
  return [...executors, ...children].filter(isAlive);
}

/** The fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, session, ... */
export function statOf(pid: number): { ppid: number; pgrp: number; session: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]) };
}

export { parentOf };
