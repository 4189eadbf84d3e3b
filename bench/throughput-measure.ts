import { existsSync, readFileSync } from 'node:fs';
import type { TopologyHarness } from '../test/helpers/topology-harness.js';
import { metricsManagerInfoPath } from '../test/helpers/topology-metrics.js';

/** Clock ticks per second of /proc/<pid>/stat's times (Linux's USER_HZ, 100 everywhere it runs). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU seconds used so far by the given processes (those gone count 0). */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the ")" closing the command name: state is the 1st, utime the 12th, stime the 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** The machine's CPU ticks so far, from /proc/stat's first line: all of them, and those the hypervisor stole. */
export interface MachineTicks {
  readonly total: number;
  readonly steal: number;
}

export function machineTicks(): MachineTicks {
  // user nice system idle iowait irq softirq steal (guest time is counted in user already).
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: fields.reduce((sum, n) => sum + n, 0), steal: fields[7] ?? 0 };
}

/**
 * The share (%) of the machine's CPU time the hypervisor gave to others between two readings: a run on a host
 * busy with other guests is slower and stalls, and says so.
 */
export function stealPct(before: MachineTicks, after: MachineTicks): number {
  const total = after.total - before.total;
  return total > 0 ? Number((((after.steal - before.steal) * 100) / total).toFixed(2)) : 0;
}

/** Resident memory of a process in MiB (0 when it is gone). */
export function rssMiB(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until the metrics manager of every container is serving (it writes `<working-dir>/metricsmgr.json` then), so
 * that a measurement starts once the whole topology has started. The metrics managers start at the lowest CPU
 * priority (runtime/executor/container-processes.ts): beside a topology already at full speed, their start took
 * some 6 s on this machine, and measured from the first tuple a 5 s warm-up left a second of it in the window.
 */
export async function waitForMetricsManagers(harness: TopologyHarness, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const waiting = () => harness.containers.filter((c) => !existsSync(metricsManagerInfoPath(harness, c)));
  while (waiting().length > 0) {
    if (Date.now() > deadline) throw new Error(`bench: the metrics managers of containers ${waiting().join(', ')} did not start within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}
