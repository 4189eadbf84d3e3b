import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'winston';
import type { ProcessFiles } from './process-files.js';
import { isRunning } from './process-liveness.js';
import { CHILD_ENV } from './supervised-process.js';

/** How long reaping waits for killed leftovers to be gone. */
const REAP_WAIT_MS = 5000;

/**
 * Kills what a previous executor in the same working directory left running. Its children exit when their IPC
 * channel closes, but one stuck in synchronous code never notices, and would keep the stream manager's endpoint
 * or the instance's task. A pid file is trusted only if the process it names still carries this working
 * directory and that name in its environment, so a recycled pid is never killed. Linux-only (reads /proc);
 * elsewhere it does nothing. Returns the names of the processes killed.
 */
export async function reapLeftoverProcesses(files: ProcessFiles, logger: Logger): Promise<string[]> {
  const reaped: Array<[string, number]> = [];
  for (const [name, pid] of files.readPids()) {
    if (await isOurChild(pid, name, files.workingDir)) {
      logger.warn('killing a process a previous executor left running', { process: name, pid });
      try {
        process.kill(pid, 'SIGKILL');
        reaped.push([name, pid]);
      } catch {
        // Gone meanwhile.
      }
    }
    files.removePid(name);
  }
  const deadline = Date.now() + REAP_WAIT_MS;
  for (const [name, pid] of reaped) {
    while (isRunning(pid) && Date.now() < deadline) await sleep(20);
    if (isRunning(pid)) logger.error('a leftover process survived SIGKILL', { process: name, pid });
  }
  return reaped.map(([name]) => name);
}

async function isOurChild(pid: number, name: string, workingDir: string): Promise<boolean> {
  let environ: string;
  try {
    environ = await readFile(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return false;
  }
  const variables = new Set(environ.split('\0'));
  return variables.has(`${CHILD_ENV.name}=${name}`) && variables.has(`${CHILD_ENV.workingDir}=${workingDir}`);
}
