import { readFileSync } from 'node:fs';

/**
 * True while process `pid` runs. A zombie (exited, not yet reaped by its parent, such as the orphaned child of a
 * killed executor waiting for init to reap it) counts as gone.
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
  const close = stat.lastIndexOf(')');
  return stat.charAt(close + 2) !== 'Z';
}

function existsAfterAll(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
