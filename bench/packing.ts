// The packing benchmark (`npm run bench:packing`): packs random multi-resource workloads of 1 000, 10 000 and
// 100 000 instances with every packing algorithm, repacks them by +10 % and -10 %, and compares container counts
// with the lower bound. Prints a table as it goes, then one JSON line of figures last.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { TopologyDefinition } from '../api/topology-definition.js';
import { instanceResourceConfigShape } from '../core/packing/instance-resources.js';
import type { PackingPlan } from '../core/spi/packing-plan.js';
import { z } from 'zod';
import { loadBenchAlgorithms, type BenchAlgorithm } from './packing-algorithms.js';
import { printRow, printSummary, summarise, TABLE_HEADER, type Measurement } from './packing-report.js';
import { containersNeededAtLeast, packingWorkload } from './packing-workloads.js';

/** Sizes, seeds per size and timed repetitions: enough for stable medians without hogging a shared 2-core machine. */
const PLAN = [
  { instances: 1_000, seeds: 8, repeats: 9 },
  { instances: 10_000, seeds: 5, repeats: 7 },
  { instances: 100_000, seeds: 3, repeats: 5 },
] as const;

const defaults = z.object({ ...instanceResourceConfigShape }).parse({});

/**
 * Milliseconds `run` takes, garbage collection included. No collection is forced between runs: a forced full
 * collection frees the hidden classes of objects that died with the previous run, which throws away the optimised
 * code of every packer and bills its recompilation to the next run.
 */
function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function instanceCount(plan: PackingPlan): number {
  return plan.containers.reduce((sum, container) => sum + container.instances.length, 0);
}

/** Beyond 3 timed runs of over 2 s each, more runs tell little and keep a shared machine busy for minutes. */
function isSlow(times: readonly number[] | undefined): boolean {
  return times !== undefined && times.length >= 3 && median(times) > 2000;
}

/** Each component's change for a repack by `fraction` of its parallelism (negative: down), keeping at least one. */
function changesBy(topology: TopologyDefinition, fraction: number): Map<string, number> {
  return new Map(
    [...topology.spouts, ...topology.bolts].map((c) => [c.name, Math.max(Math.round(c.parallelism * fraction), 1 - c.parallelism)] as const).filter(([, delta]) => delta !== 0),
  );
}

/** Packs and repacks one workload with every algorithm, the repetitions interleaved so that drift hits all alike. */
function measure(algorithms: readonly BenchAlgorithm[], topology: TopologyDefinition, instances: number, seed: number, repeats: number): Measurement[] {
  const lowerBound = containersNeededAtLeast(topology, defaults);
  const inputs = new Map<string, TopologyDefinition>();
  const ffd = algorithms.find((a) => a.key === 'ffd')?.packing;
  // round-robin takes its container count from topology.stmgrs: give it ffd's, as the benchmark's output says.
  const ffdContainers = ffd ? ffd.pack(topology).containers.length : lowerBound;
  for (const a of algorithms) inputs.set(a.key, a.key === 'rr' ? { ...topology, config: { ...topology.config, 'topology.stmgrs': ffdContainers } } : topology);

  const packMs = new Map<string, number[]>();
  const plans = new Map<string, PackingPlan>();
  const failures = new Map<string, string>();
  // Round 0 warms every algorithm up and is not counted.
  for (let r = 0; r <= repeats; r++) {
    for (let i = 0; i < algorithms.length; i++) {
      const a = algorithms[(i + r) % algorithms.length] as BenchAlgorithm;
      if (!a.packing || failures.has(a.key) || isSlow(packMs.get(a.key))) continue;
      try {
        const { value, ms } = timed(() => a.packing?.pack(inputs.get(a.key) as TopologyDefinition) as PackingPlan);
        if (instanceCount(value) !== instances) throw new Error(`placed ${instanceCount(value)} of ${instances} instances`);
        plans.set(a.key, value);
        if (r > 0) packMs.set(a.key, [...(packMs.get(a.key) ?? []), ms]);
      } catch (error) {
        failures.set(a.key, error instanceof Error ? error.message : String(error));
      }
    }
  }

  const up = changesBy(topology, 0.1);
  const down = changesBy(topology, -0.1);
  const repackMs = (a: BenchAlgorithm, changes: Map<string, number>): number | undefined => {
    const plan = plans.get(a.key);
    if (!a.repacking || !plan) return undefined;
    const times: number[] = [];
    try {
      for (let r = 0; r <= Math.max(3, repeats >> 1); r++) {
        const { ms } = timed(() => a.repacking?.repack(inputs.get(a.key) as TopologyDefinition, plan, changes));
        if (r > 0) times.push(ms);
      }
    } catch (error) {
      failures.set(a.key, `repack: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    return median(times);
  };

  return algorithms.map((a) => {
    const plan = plans.get(a.key);
    return {
      instances,
      seed,
      lowerBound,
      key: a.key,
      name: a.name,
      containers: plan?.containers.length,
      packMs: packMs.has(a.key) ? median(packMs.get(a.key) as number[]) : undefined,
      repackUpMs: repackMs(a, up),
      repackDownMs: repackMs(a, down),
      note: !a.packing ? 'not registered' : failures.get(a.key) ?? (a.repacking ? undefined : 'no repacking plugin'),
    };
  });
}

async function main(): Promise<void> {
  const algorithms = await loadBenchAlgorithms();
  process.stdout.write(
    `packing benchmark: ${PLAN.map((p) => `${p.instances} instances × ${p.seeds} seeds`).join(', ')}; 20 components each; ` +
      'times are medians of repetitions interleaved across the algorithms, after one warm-up run each (3 runs for packs over 2 s).\n' +
      `round-robin is given topology.stmgrs = ffd's container count; the others choose their own.\n\n${TABLE_HEADER}\n`,
  );
  const measurements: Measurement[] = [];
  for (const { instances, seeds, repeats } of PLAN) {
    for (let seed = 1; seed <= seeds; seed++) {
      for (const m of measure(algorithms, packingWorkload(instances + seed, instances), instances, seed, repeats)) {
        measurements.push(m);
        printRow(m);
      }
    }
  }
  const figures = summarise(measurements);
  printSummary(measurements, figures);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

await main();
