import type { Logger } from 'winston';
import { LocalWorkingDirectory, SCHEDULER_PROCESS_NAME } from './local-working-directory.js';
import { killProcessesNow, type NamedProcess, terminateProcesses, verifiedAlive, waitUntilGone } from './process-termination.js';

/**
 * How long an executor's children get to exit on their own once their executor is gone: they watch its IPC channel
 * (runtime/executor/README.md), so this is only for one stuck in synchronous code.
 */
const CHILDREN_EXIT_MS = 3000;

/** Which processes of a local topology a sweep stops. */
export interface TopologySweep {
  readonly graceMs: number;
  readonly logger: Logger;
  /** Only these containers' executors and children, and never the scheduler process; default: all of them. */
  readonly containers?: readonly number[];
}

/**
 * Stops every live process of the topology that the pid files of `dir` name and that proves to be the one named
 * (see isTopologyProcess): first the scheduler process, unless it is this one, so that it restarts nothing; then
 * the executors (SIGTERM, SIGKILL after the grace period), which stop their children; then whatever child of theirs
 * is still alive. Needs nothing but the directory, so a fresh process can kill what a dead scheduler started.
 * Returns the processes still alive at the end (normally none).
 */
export async function stopTopologyProcesses(dir: LocalWorkingDirectory, sweep: TopologySweep): Promise<NamedProcess[]> {
  const survivors: NamedProcess[] = [];
  if (sweep.containers === undefined) {
    const pid = dir.readPid(SCHEDULER_PROCESS_NAME);
    if (pid !== undefined && pid !== process.pid) {
      const scheduler = await verifiedAlive([{ name: SCHEDULER_PROCESS_NAME, pid, workingDir: dir.root }]);
      survivors.push(...(await terminateProcesses(scheduler, sweep)));
      if (survivors.length === 0) dir.removePid(SCHEDULER_PROCESS_NAME, pid);
    }
  }
  const wanted = (container: number) => sweep.containers === undefined || sweep.containers.includes(container);
  const executorFiles = [...dir.executorPids()].filter(([container]) => wanted(container));
  const executors = await verifiedAlive(executorFiles.map(([container, pid]) => ({ name: LocalWorkingDirectory.executorName(container), pid, workingDir: dir.root })));
  const executorSurvivors = await terminateProcesses(executors, sweep);
  survivors.push(...executorSurvivors);
  for (const [container, pid] of executorFiles) {
    if (!executorSurvivors.some((p) => p.pid === pid)) dir.removePid(LocalWorkingDirectory.executorName(container), pid);
  }
  survivors.push(...(await stopChildren(dir, dir.containerDirs().filter(wanted))));
  return survivors;
}

/** Waits for the executors' children to follow their executors out, SIGKILLing those that do not. */
async function stopChildren(dir: LocalWorkingDirectory, containers: readonly number[]): Promise<NamedProcess[]> {
  const candidates = containers.flatMap((container) => [...dir.childPids(container)].map(([name, pid]) => ({ name, pid, workingDir: dir.containerDir(container) })));
  const children = await verifiedAlive(candidates);
  const lingering = await waitUntilGone(children, CHILDREN_EXIT_MS);
  return lingering.length === 0 ? [] : killProcessesNow(lingering);
}
