import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TopologyHarness } from '../helpers/topology-harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { type BoltReport, readReports, totalOf } from './reports.js';

export const GROUPINGS_TOPOLOGY = join(REPO_ROOT, 'test', 'fixtures', 'topologies', 'groupings-topology.ts');
const WORDS = 50;
const REPEATS = 100;
const SPOUTS = 2;
/** Tuples each spout task emits on each of its two streams. */
const PER_SPOUT = WORDS * REPEATS;
const TOTAL = SPOUTS * PER_SPOUT;

/**
 * A finite word count through every grouping with real processes (executors, topology manager, stream managers,
 * instances, the C++ data path) on `containers` containers: exact counts at the end, and each word of the fields
 * grouping counted by exactly one task.
 */
export function groupingsSuite(containers: number): void {
  describe(`every grouping, end to end, on ${containers} container${containers > 1 ? 's' : ''}`, () => {
    const output = tempDir();
    let harness: TopologyHarness;
    const bolts = (component: string): BoltReport[] => readReports(output).bolts.get(component) ?? [];

    before(async () => {
      harness = await TopologyHarness.start({
        topologyFile: GROUPINGS_TOPOLOGY,
        containers,
        config: { 'test.output.dir': output, 'test.words': WORDS, 'test.repeats': REPEATS, 'test.spouts': SPOUTS },
        deadlineMs: 90_000,
      });
      await harness.waitForPhysicalPlan();
      // Every task reports (ticks every 0.2 s); done when every subscriber has its expected total.
      const expected: Record<string, number> = { shuffle: TOTAL, fields: TOTAL, all: 2 * TOTAL, global: TOTAL, none: TOTAL, direct: TOTAL, custom: TOTAL };
      await waitFor(
        'every tuple counted by every grouping',
        () => {
          const reports = readReports(output);
          if (Object.entries(expected).every(([component, total]) => totalOf(reports, component) === total)) return true;
          throw new Error(`counted so far: ${JSON.stringify(Object.fromEntries(Object.keys(expected).map((c) => [c, totalOf(reports, c)])))}`);
        },
        120_000,
        200,
      );
    });

    after(async () => {
      await harness?.stop();
    });

    it('places the tasks on the containers of the packing plan', () => {
      assert.equal(harness.plan.containers.length, containers);
    });

    it('shuffle: every tuple once, spread over the tasks', () => {
      const reports = bolts('shuffle');
      assert.equal(reports.length, 2);
      for (const r of reports) assert.ok(Math.abs(r.total - TOTAL / 2) <= SPOUTS, `task ${r.task}: ${r.total}`);
    });

    it('fields: every word counted by exactly one task, every occurrence', () => {
      const owners = new Map<string, number>();
      for (const r of bolts('fields')) {
        for (const [word, count] of Object.entries(r.counts)) {
          assert.equal(owners.get(word), undefined, `${word} counted by tasks ${owners.get(word)} and ${r.task}`);
          owners.set(word, r.task);
          assert.equal(count, SPOUTS * REPEATS, word);
        }
      }
      assert.equal(owners.size, WORDS);
      assert.ok(new Set(owners.values()).size > 1, 'the words spread over more than one task');
    });

    it('all: every task gets every tuple', () => {
      for (const r of bolts('all')) assert.equal(r.total, TOTAL);
    });

    it('global: the lowest task gets every tuple, the other none', () => {
      const [lowest, other] = bolts('global');
      assert.equal(lowest?.total, TOTAL);
      assert.equal(other?.total ?? 0, 0);
    });

    it('none: every tuple once', () => {
      assert.equal(totalOf(readReports(output), 'none'), TOTAL);
    });

    it('direct: each tuple at the task the spout chose', () => {
      const reports = bolts('direct');
      assert.equal(reports.length, 2);
      // Tuple i of a spout goes to directTasks[i mod 2]: words w-k with k even to the first, odd to the second.
      for (const [index, r] of reports.entries()) {
        for (const word of Object.keys(r.counts)) assert.equal(Number(word.slice(2)) % 2, index, `${word} at task ${r.task}`);
        assert.equal(r.total, TOTAL / 2);
      }
    });

    it('custom: each tuple at the task the grouping chose', () => {
      for (const [index, r] of bolts('custom').entries()) {
        for (const [word, count] of Object.entries(r.counts)) {
          assert.equal(Number(word.slice(2)) % 2, index, `${word} at task ${r.task}`);
          assert.equal(count, SPOUTS * REPEATS);
        }
      }
    });
  });
}
