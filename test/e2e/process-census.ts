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
    const vars = environmentOf(pid);
    if (!vars) continue;
    const stat = statFields(pid);
    if (!stat) continue;
    const workingDir = vars.get('EGRET_WORKING_DIR');
    if (workingDir === undefined || !(workingDir === root || workingDir.startsWith(`${root}/`))) continue;
    const ppid = Number(stat[1]);
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

/** The environment `pid` was started with, as the kernel recorded it at exec; undefined once it is gone (or not ours). */
export function environmentOf(pid: number): Map<string, string> | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  return new Map(environ.split('\0').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
}

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every Linux Egret runs on. */
const USER_HZ = 100;

/** The fields of /proc/<pid>/stat after the command name (field 3 onwards), or undefined once the process is gone. */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The CPU time (user and system) `pid` has used so far, in ms (10 ms resolution); 0 once it is gone. */
export function cpuMsOf(pid: number): number {
  const fields = statFields(pid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ : 0;
}

/** The CPU time of this process's children that it has waited for (reaped), in ms: what they used, all told. */
export function reapedChildrenCpuMs(): number {
  const fields = statFields('self');
  return fields ? ((Number(fields[13]) + Number(fields[14])) * 1000) / USER_HZ : 0;
}

/** True while `pid` runs; a zombie (dead, not yet reaped) does not count. */
export function isAlive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
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
