import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import type { ConfigValue } from '../../api/config-value.js';
import { isRunning } from '../../runtime/executor/process-liveness.js';
import { writeTinyTopology } from '../helpers/package-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TopologyHarness, type TopologyHarnessOptions } from '../helpers/topology-harness.js';
import { waitFor } from '../helpers/wait-for.js';
import type { DummyBehaviour } from './dummy-child.js';

/** Node starting on a busy 2-core machine, several times over; waits end on their condition long before. */
export const DEADLINE_MS = 30_000;

/** The executor composed with dummy children (dummy-executor-main.ts). */
export const DUMMY_EXECUTOR = fileURLToPath(new URL('./dummy-executor-main.js', import.meta.url));

/** A harness of the tiny topology (4 tasks, 2 containers) whose executors run dummy children. */
export interface DummyHarness {
  readonly harness: TopologyHarness;
  /** Sets what the dummies do from their next start on, by process name. */
  behave(behaviours: Readonly<Record<string, DummyBehaviour>>): void;
}

/**
 * Prepares (does not start) a harness with the dummy executor, a short restart backoff and stop grace period, and
 * stops it when the test file ends.
 */
export async function dummyHarness(
  options: Pick<TopologyHarnessOptions, 'transport' | 'containers' | 'packing'> & { stopGraceMs?: number; config?: Readonly<Record<string, ConfigValue>> } = {},
): Promise<DummyHarness> {
  const dir = tempDir();
  const behaviourFile = join(dir, 'behaviour.json');
  writeFileSync(behaviourFile, '{}');
  const harness = await TopologyHarness.prepare({
    topologyFile: writeTinyTopology(join(dir, 'src')),
    config: { 'egret.executor.restart.backoff.min.ms': 100, 'egret.executor.restart.backoff.max.ms': 800, ...options.config },
    executorEntry: DUMMY_EXECUTOR,
    env: { EGRET_DUMMY_BEHAVIOUR: behaviourFile, EGRET_TEST_STOP_GRACE_MS: String(options.stopGraceMs ?? 2000) },
    deadlineMs: DEADLINE_MS,
    // EGRET_TEST_KEEP=1 keeps the harness's directory (logs, state) for a look after a failure.
    keep: process.env['EGRET_TEST_KEEP'] === '1',
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.containers === undefined ? {} : { containers: options.containers }),
    ...(options.packing === undefined ? {} : { packing: options.packing }),
  });
  after(() => harness.stop());
  return { harness, behave: (behaviours) => writeFileSync(behaviourFile, JSON.stringify(behaviours)) };
}

/** Waits until every process of container `c` runs; returns their pids by name. */
export function waitForContainer(harness: TopologyHarness, container: number): Promise<Map<string, number>> {
  return harness.waitForProcesses([container]);
}

/** Waits until none of `pids` runs. */
export function waitForAllGone(pids: Iterable<number>, what: string): Promise<true> {
  const all = [...pids];
  return waitFor(`${what}: ${all.join(', ')} to be gone`, () => all.every((pid) => !isRunning(pid)), DEADLINE_MS);
}
