import { writeFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { join } from 'node:path';
import type { ConfigValue } from '../../api/config-value.js';
import type { SentenceSpoutReport, SplitBoltReport } from '../fixtures/topologies/acking-reports.js';
import { REPO_ROOT } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TopologyHarness } from '../helpers/topology-harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { readTaskReports, type TaskReport } from './reports.js';

export const ACKING_TOPOLOGY = join(REPO_ROOT, 'test', 'fixtures', 'topologies', 'acking-topology.ts');

/**
 * The bound on a whole suite of these tests: far above what a run takes on a busy machine, but a wait on something
 * that never settles fails the suite (and its `after` hook still stops every process) instead of hanging the run.
 */
export const SUITE_TIMEOUT_MS = 240_000;

/** How a test runs acking-topology.ts. */
export interface AckingRunOptions {
  readonly output: string;
  readonly containers: number;
  /** Message ids per spout task. */
  readonly messages: number;
  /** Extra config: the `test.*` keys of the topology, `topology.*` keys. */
  readonly config?: Readonly<Record<string, ConfigValue>>;
  readonly deadlineMs?: number;
  /**
   * Holds the spouts until every bolt task runs (it has reported), so that no tuple waits for a bolt process to
   * start: on a busy machine that wait can pass a short message timeout.
   */
  readonly gated?: boolean;
}

/** Starts acking-topology.ts on real processes and waits for its physical plan (and, gated, for every bolt). */
export async function startAckingRun(options: AckingRunOptions): Promise<TopologyHarness> {
  const harness = await TopologyHarness.start({
    topologyFile: ACKING_TOPOLOGY,
    containers: options.containers,
    config: { 'test.output.dir': options.output, 'test.messages': options.messages, 'test.gated': options.gated ?? false, ...options.config },
    deadlineMs: options.deadlineMs ?? 60_000,
  });
  try {
    await harness.waitForPhysicalPlan();
    if (options.gated) {
      const bolts = harness.plan.containers.flatMap((c) => c.instances).filter((i) => i.component !== 'sentences').length;
      await waitFor('every bolt task to run', () => splitReports(options.output).length + countReports(options.output).length === bolts, 60_000, 100);
      writeFileSync(join(options.output, 'go'), '');
    }
    return harness;
  } catch (error) {
    await harness.stop().catch(() => undefined);
    throw error;
  }
}

/** A run of acking-topology.ts to its end: its output directory, and the spouts' reports once every id is acked. */
export interface CompletedAckingRun {
  readonly output: string;
  /** Every spout task's report, each with every id acked (set once the `before` hook ran). */
  readonly reports: () => Array<TaskReport<SentenceSpoutReport>>;
}

/**
 * Registers, in the calling `describe`, a `before` hook that runs acking-topology.ts with `spouts` spout tasks until
 * every id of every task is acked (within `ackDeadlineMs`), and an `after` hook that stops every process.
 */
export function completedAckingRun(options: Omit<AckingRunOptions, 'output'> & { readonly spouts: number; readonly ackDeadlineMs?: number }): CompletedAckingRun {
  const output = tempDir();
  let harness: TopologyHarness | undefined;
  let reports: Array<TaskReport<SentenceSpoutReport>> | undefined;
  before(async () => {
    harness = await startAckingRun({ ...options, output, config: { 'test.spouts': options.spouts, ...options.config } });
    reports = await waitForEveryAck(output, options.spouts, options.messages, options.ackDeadlineMs ?? 45_000);
  });
  after(async () => {
    await harness?.stop();
  });
  return {
    output,
    reports: () => {
      if (!reports) throw new Error('the acking run has not completed (its before hook failed or has not run)');
      return reports;
    },
  };
}

export const spoutReports = (output: string): Array<TaskReport<SentenceSpoutReport>> => readTaskReports<SentenceSpoutReport>(output, 'sentences');
export const splitReports = (output: string): Array<TaskReport<SplitBoltReport>> => readTaskReports<SplitBoltReport>(output, 'split');
export const countReports = (output: string): Array<TaskReport<{ total: number; counts: Record<string, number> }>> => readTaskReports(output, 'count');

/** Ids acked over every spout task. */
export function ackedCount(output: string): number {
  return spoutReports(output).reduce((n, r) => n + r.acked.length, 0);
}

/** Waits until `spouts` spout tasks have reported every id acked; returns their reports. Throws with the progress. */
export async function waitForEveryAck(output: string, spouts: number, messages: number, deadlineMs: number): Promise<Array<TaskReport<SentenceSpoutReport>>> {
  return waitFor(
    `every message id of ${spouts} spout tasks acked`,
    () => {
      const reports = spoutReports(output);
      if (reports.length === spouts && reports.every((r) => r.acked.length === messages)) return reports;
      throw new Error(`acked so far: ${reports.map((r) => `task ${r.task}: ${r.acked.length}/${messages} (${r.failCount} failed, ${r.inFlight} in flight)`).join('; ')}`);
    },
    deadlineMs,
    200,
  );
}

/** The ids 0 .. n-1 missing from `acked`. */
export function missingIds(acked: readonly number[], n: number): number[] {
  const seen = new Set(acked);
  return Array.from({ length: n }, (_, id) => id).filter((id) => !seen.has(id));
}
