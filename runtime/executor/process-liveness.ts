import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * True while process `pid` runs. A zombie (exited, not yet reaped by its parent, such as the orphaned child of a
 * killed executor waiting for init to reap it) counts as gone, as does one being torn down ('X').
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc (not Linux), or the process went away between the two looks.
    return existsAfterAll(pid);
  }
  // "pid (comm) S ...": the state letter follows the last ')', since comm may itself hold parentheses.
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state !== 'Z' && state !== 'X';
}

function existsAfterAll(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops a child: SIGTERM, then SIGKILL if it has not exited (`exited` resolved) within `graceMs`, calling
 * `onOverdue` first so the caller can say so. Resolves once it has exited.
 */
export async function terminateChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number, onOverdue: () => void): Promise<void> {
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
  clearTimeout(timer);
  if (inTime) return;
  onOverdue();
  child.kill('SIGKILL');
  await exited;
}
