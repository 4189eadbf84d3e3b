import { readdirSync, readFileSync } from 'node:fs';

/**
 * Live processes whose command line mentions `path` (every process of a harness's topology is given a path under
 * the harness's directory), as [pid, first arguments]. Catches a child whose start its executor never got to log
 * (an executor stopped just after spawning it), which a list of logged pids would miss. Linux /proc only.
 */
export function processesMentioning(path: string): Array<[number, string]> {
  const found: Array<[number, string]> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isSafeInteger(pid) || pid === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.some((arg) => arg.includes(path))) found.push([pid, args.slice(1, 3).join(' ')]);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return found;
}
