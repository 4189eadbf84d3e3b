// bench:lifecycle — how long the real CLI takes to bring word count up and to take it down on the `local` cluster:
// `egret submit ... --wait` from spawn to its exit (it exits once the topology manager has published a physical plan
// holding every instance, so every instance is running), and `egret kill` from spawn until the command has exited
// and no process of the topology is left (found by /proc environment, not by pid files). Word count with parallelism
// 2 on 2 containers (14 processes: scheduler, 3 executors, topology manager, 3 metrics managers, 2 stream managers,
// 4 instances) and parallelism 8 on 8 containers (44 processes). Also the CPU every process had used by the
// time submit exited, by kind. A temporary HOME; everything started is killed.
//   node dist/bench/lifecycle.js [runs=5] [layouts=2,8]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/helpers/run-egret.js';
import { egretAsync, expectOk } from '../test/e2e/egret-process.js';
import { cpuMsOf, describe, isAlive, killTopologyProcesses, reapedChildrenCpuMs, topologyProcesses } from '../test/e2e/process-census.js';
import { median, sleep } from './throughput-measure.js';

const RUNS = Number(process.argv[2] ?? 5);
const LAYOUTS = (process.argv[3] ?? '2,8').split(',').map(Number);
const WORD_COUNT = join(REPO_ROOT, 'examples', 'word-count', 'word-count-topology.ts');
/** How often the kill measurement looks for survivors: the resolution of kill_to_gone. */
const GONE_POLL_MS = 5;

/** The kinds of process whose start-up CPU is reported, and how a process's name says its kind. */
const KINDS = ['cli', 'scheduler', 'executor', 'tmanager', 'stmgr', 'metricsmgr', 'instance'] as const;
type Kind = (typeof KINDS)[number];
function kindOf(name: string): Kind {
  if (name.startsWith('container_')) return 'instance';
  const kind = KINDS.find((k) => name === k || name.startsWith(`${k}-`));
  if (!kind) throw new Error(`bench: a process of an unknown kind: ${name}`);
  return kind;
}

interface Cycle {
  /** Spawn of `egret submit --wait` to the line saying the scheduler process is up. */
  readonly launchedMs: number;
  /** ... to the line saying the topology manager is up. */
  readonly tmanagerMs: number;
  /** ... to the command's exit: every instance running. */
  readonly runningMs: number;
  readonly processes: number;
  /** CPU used by the time `submit --wait` exited, in ms, by kind: the command itself and every topology process. */
  readonly cpuMs: Readonly<Record<Kind, number>>;
  /** Spawn of `egret kill` to the later of its exit and the last process gone. */
  readonly goneMs: number;
  /** Spawn of `egret kill` to its exit. */
  readonly killCommandMs: number;
}

async function cycle(home: string, containers: number): Promise<Cycle> {
  const root = join(home, '.egret', 'topologies');
  const marks = new Map<string, number>();
  const reapedBefore = reapedChildrenCpuMs();
  const started = performance.now();
  const submit = expectOk(
    await egretAsync(['submit', 'local', WORD_COUNT, String(containers), '--wait', '--wait-timeout', '120', '--config-property', `topology.stmgrs=${containers}`], home, {
      onLine: (line) => {
        for (const [key, pattern] of [['launched', /\] launched/], ['tmanager', /\] topology manager up/]] as const) if (pattern.test(line) && !marks.has(key)) marks.set(key, performance.now() - started);
      },
    }),
    'egret submit --wait',
  );
  const processes = topologyProcesses(root);
  const cpuMs = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
  // The command is this process's only child meanwhile, and reaped: its CPU is what the children's total grew by.
  cpuMs.cli = reapedChildrenCpuMs() - reapedBefore;
  for (const p of processes) cpuMs[kindOf(p.name)] += cpuMsOf(p.pid);
  const killStarted = performance.now();
  let lastSeen = killStarted;
  let watching = true;
  // Watch the pids while the command runs: the processes may go before it returns (its state deletion is last).
  const watcher = (async () => {
    let alive = processes;
    while (watching || alive.length > 0) {
      alive = alive.filter((p) => isAlive(p.pid));
      if (alive.length > 0) lastSeen = performance.now();
      else if (!watching) break;
      if (performance.now() - killStarted > 60_000) return new Error(`processes outlived egret kill by 60 s: ${describe(alive)}`);
      await sleep(GONE_POLL_MS);
    }
    return undefined;
  })();
  const kill = await egretAsync(['kill', 'local', 'word-count'], home);
  const killCommandMs = performance.now() - killStarted;
  watching = false;
  const outlived = await watcher;
  if (outlived) throw outlived;
  expectOk(kill, 'egret kill');
  const left = topologyProcesses(root);
  if (left.length > 0) throw new Error(`egret kill left processes: ${describe(left)}`);
  return {
    launchedMs: marks.get('launched') ?? Number.NaN,
    tmanagerMs: marks.get('tmanager') ?? Number.NaN,
    runningMs: submit.ms,
    processes: processes.length,
    cpuMs,
    goneMs: Math.max(killCommandMs, lastSeen - killStarted),
    killCommandMs,
  };
}

function totalCpu(cycle: Cycle): number {
  return KINDS.reduce((sum, kind) => sum + cycle.cpuMs[kind], 0);
}

async function main(): Promise<void> {
  const figures: Record<string, number> = {};
  for (const containers of LAYOUTS) {
    const home = mkdtempSync(join(tmpdir(), 'egret-bench-lifecycle-'));
    const cycles: Cycle[] = [];
    try {
      for (let run = 0; run < RUNS; run++) {
        const result = await cycle(home, containers);
        cycles.push(result);
        const f = (ms: number) => `${Math.round(ms)}`.padStart(6);
        console.log(
          `${containers} containers, run ${run + 1}/${RUNS}: launched ${f(result.launchedMs)} ms, tmanager up ${f(result.tmanagerMs)} ms, running ${f(result.runningMs)} ms (${result.processes} processes); ` +
            `kill command ${f(result.killCommandMs)} ms, all gone ${f(result.goneMs)} ms`,
        );
        console.log(`  CPU by the time it ran: ${Math.round(totalCpu(result))} ms (${KINDS.map((k) => `${k} ${Math.round(result.cpuMs[k])}`).join(', ')})`);
      }
    } finally {
      const left = killTopologyProcesses(join(home, '.egret', 'topologies'));
      if (left.length > 0) console.error(`killed what a failed cycle left: ${describe(left)}`);
      rmSync(home, { recursive: true, force: true });
    }
    const med = (pick: (c: Cycle) => number) => Math.round(median(cycles.map(pick)));
    figures[`submit_to_launched_ms_${containers}c`] = med((c) => c.launchedMs);
    figures[`submit_to_tmanager_ms_${containers}c`] = med((c) => c.tmanagerMs);
    figures[`submit_to_running_ms_${containers}c`] = med((c) => c.runningMs);
    figures[`kill_to_gone_ms_${containers}c`] = med((c) => c.goneMs);
    figures[`processes_${containers}c`] = cycles[0]?.processes ?? 0;
    figures[`startup_cpu_ms_${containers}c`] = med(totalCpu);
    for (const kind of KINDS) figures[`startup_cpu_${kind}_ms_${containers}c`] = med((c) => c.cpuMs[kind]);
  }
  console.log(JSON.stringify({ bench: 'lifecycle', runs: RUNS, ...figures }));
}

await main();
