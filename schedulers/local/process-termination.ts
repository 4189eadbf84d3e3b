import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'winston';
import { isRunning } from '../../runtime/executor/process-liveness.js';
import { PROCESS_IDENTITY_ENV } from './local-working-directory.js';

/** A process as a pid file names it: its name and the working directory it was started for. */
export interface NamedProcess {
  readonly name: string;
  readonly pid: number;
  readonly workingDir: string;
}

/** How long a SIGKILLed process is given to disappear before it counts as a survivor. */
const AFTER_SIGKILL_MS = 5000;
const POLL_MS = 20;

/** True while `pid` is a live process (a zombie is not): the executor's own check, under the name this folder uses. */
export const isAlive = isRunning;

/**
 * True when `pid` is process `name` of `workingDir`: its environment, as the kernel recorded it at exec, carries both
 * {@link PROCESS_IDENTITY_ENV} values. A pid file outlives its process and pids are recycled; this is what keeps a
 * kill from reaching a stranger. Where /proc cannot be read (another user's process, not Linux) it is false: an
 * unverifiable pid is left alone.
 */
export async function isTopologyProcess(target: NamedProcess): Promise<boolean> {
  let environ: string;
  try {
    environ = await readFile(`/proc/${target.pid}/environ`, 'utf8');
  } catch {
    return false;
  }
  const entries = new Set(environ.split('\0'));
  return entries.has(`${PROCESS_IDENTITY_ENV.name}=${target.name}`) && entries.has(`${PROCESS_IDENTITY_ENV.workingDir}=${target.workingDir}`);
}

/** The processes among `candidates` that are alive and verifiably the ones their pid files name. */
export async function verifiedAlive(candidates: readonly NamedProcess[]): Promise<NamedProcess[]> {
  const checks = await Promise.all(candidates.map(async (candidate) => isAlive(candidate.pid) && (await isTopologyProcess(candidate))));
  return candidates.filter((_, index) => checks[index]);
}

/** Polls until none of `processes` is alive or `ms` have passed; returns those still alive. */
export async function waitUntilGone(processes: readonly NamedProcess[], ms: number): Promise<NamedProcess[]> {
  const deadline = Date.now() + ms;
  let alive = processes.filter((p) => isAlive(p.pid));
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    alive = alive.filter((p) => isAlive(p.pid));
  }
  return alive;
}

/**
 * Stops verified processes that are not this process's children: SIGTERM to all at once, SIGKILL to those still
 * alive after `graceMs`, then up to 5 s for the kernel to finish them. Returns the survivors (a process in
 * uninterruptible sleep, one another user owns), for the caller to name in its error.
 */
export async function terminateProcesses(processes: readonly NamedProcess[], options: { readonly graceMs: number; readonly logger: Logger }): Promise<NamedProcess[]> {
  if (processes.length === 0) return [];
  for (const target of processes) signal(target, 'SIGTERM');
  const stubborn = await waitUntilGone(processes, options.graceMs);
  if (stubborn.length === 0) return [];
  options.logger.warn('processes did not stop within the grace period; killing them', { processes: stubborn.map(describeProcess), graceMs: options.graceMs });
  for (const target of stubborn) signal(target, 'SIGKILL');
  return waitUntilGone(stubborn, AFTER_SIGKILL_MS);
}

/** SIGKILLs verified processes at once and waits up to 5 s for them to go; returns the survivors. */
export async function killProcessesNow(processes: readonly NamedProcess[]): Promise<NamedProcess[]> {
  for (const target of processes) signal(target, 'SIGKILL');
  return waitUntilGone(processes, AFTER_SIGKILL_MS);
}

/** `name (pid N)`, for messages. */
export function describeProcess(target: NamedProcess): string {
  return `${target.name} (pid ${target.pid})`;
}

function signal(target: NamedProcess, name: NodeJS.Signals): void {
  try {
    process.kill(target.pid, name);
  } catch {
    // Gone since it was verified (ESRCH); EPERM leaves it alive, and it is reported as a survivor.
  }
}
