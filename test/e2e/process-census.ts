import { readdirSync, readFileSync } from 'node:fs';

/** A live process of a local topology, as its environment names it. */
export interface CensusProcess {
  readonly pid: number;
  /** `EGRET_PROCESS_NAME`: scheduler, executor-<c>, tmanager, stmgr-<c>, metricsmgr-<c>, container_<c>_<comp>_<task>. */
  readonly name: string;
  /** `EGRET_WORKING_DIR`: the directory whose pid file names it. */
  readonly workingDir: string;
}

/**
 * Every live (non-zombie) process whose `EGRET_WORKING_DIR` lies under `root`, read from /proc. Pid files can lie
 * (a process that never wrote one, or one killed before removing its own), the environment the kernel recorded at
 * exec cannot: this is how tests and the lifecycle bench prove that nothing of a topology is left.
 */
export function topologyProcesses(root: string): CensusProcess[] {
  const found: Array<CensusProcess & { readonly ppid: number }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || !isAlive(pid)) continue;
    let environ: string;
    let stat: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const vars = new Map(environ.split('\0').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
    const workingDir = vars.get('EGRET_WORKING_DIR');
    if (workingDir === undefined || !(workingDir === root || workingDir.startsWith(`${root}/`))) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    found.push({ pid, ppid, name: vars.get('EGRET_PROCESS_NAME') ?? '?', workingDir });
  }
  // A child caught between fork and exec still shows its parent's environment: it is the parent starting a process,
  // not a second process of that name (every process a topology starts gets a name of its own).
  const forking = (p: (typeof found)[number]) => found.some((parent) => parent.pid === p.ppid && parent.name === p.name && parent.workingDir === p.workingDir);
  return found
    .filter((p) => !forking(p))
    .map(({ pid, name, workingDir }) => ({ pid, name, workingDir }))
    .sort((a, b) => a.pid - b.pid);
}

/** True while `pid` runs; a zombie (dead, not yet reaped) does not count. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * SIGKILLs every process {@link topologyProcesses} finds under `root` (identity checked again now, so a recycled pid
 * is never hit) and returns them; for the last line of a test's or the bench's cleanup.
 */
export function killTopologyProcesses(root: string): CensusProcess[] {
  const alive = topologyProcesses(root);
  for (const p of alive) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  return alive;
}

/** `name (pid N)` for messages. */
export function describe(processes: readonly CensusProcess[]): string {
  return processes.map((p) => `${p.name} (pid ${p.pid})`).join(', ') || 'none';
}
