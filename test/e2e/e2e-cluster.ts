import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { type EgretOutcome, egretAsync } from './egret-process.js';
import { type CensusProcess, describe, isAlive, killTopologyProcesses, topologyProcesses } from './process-census.js';

export const WORD_COUNT = join(REPO_ROOT, 'examples', 'word-count', 'word-count-topology.ts');

/** A physical plan as `egret state --format json` prints it (the fields the tests read). */
export interface PhysicalPlanJson {
  readonly topology: { readonly id: string; readonly state: 'RUNNING' | 'PAUSED' };
  readonly stmgrs: ReadonlyArray<{ readonly id: string; readonly pid: number }>;
  readonly instances: ReadonlyArray<{ readonly instanceId: string; readonly stmgrId: string; readonly info: { readonly componentName: string; readonly taskId: number } }>;
}

/** One topology's state nodes as `egret state <cluster> <topology> --format json` prints them. */
export interface TopologyStateJson {
  readonly running: boolean;
  readonly nodes: Readonly<Record<string, unknown>> & { readonly pplans?: PhysicalPlanJson; readonly topologies?: { readonly id: string; readonly state: string } };
}

/**
 * A cluster as a user has it: the real `egret` command, a temporary HOME (so `~/.egret` holds this test's state,
 * packages and working directories and nothing else), the shipped cluster config plus `properties` on every
 * command (the ZooKeeper address of a test server). Everything is looked at through the CLI (`egret state`) and
 * /proc (process-census.ts), as a user or an operator would.
 */
export class E2eCluster {
  readonly home: string;
  /** Where the local scheduler puts every topology's working directory (its default, under HOME). */
  readonly topologiesRoot: string;

  /** Call at a test file's top level (its temporary HOME is removed when the file ends). */
  constructor(
    readonly cluster: 'local' | 'localzk',
    /** Asked for at each command: a test server's address is known only once a `before` hook started it. */
    private readonly properties: () => readonly string[] = () => [],
    /** Added to the environment of every command. */
    private readonly env: Readonly<Record<string, string>> = {},
  ) {
    this.home = tempDir();
    this.topologiesRoot = join(this.home, '.egret', 'topologies');
  }

  /** Runs `egret <args>` with this cluster's properties appended. */
  egret(args: readonly string[], options: { readonly timeoutMs?: number } = {}): Promise<EgretOutcome> {
    return egretAsync([...args, ...this.properties().flatMap((p) => ['--config-property', p])], this.home, { ...options, env: this.env });
  }

  /** `<cluster>[/role[/env]]`. */
  target(role?: string, environment?: string): string {
    return [this.cluster, role, environment].filter((part) => part !== undefined).join('/');
  }

  /** `egret submit <target> word-count [args] --wait`, which must succeed. */
  async submitWordCount(options: { readonly target?: string; readonly args?: readonly string[]; readonly extra?: readonly string[] } = {}): Promise<EgretOutcome> {
    const run = await this.egret(['submit', options.target ?? this.cluster, WORD_COUNT, ...(options.args ?? []), '--wait', '--wait-timeout', '120', ...(options.extra ?? [])]);
    assert.equal(run.status, 0, `egret submit --wait failed:\n${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /running: \d+ instance\(s\) in \d+ container\(s\)/);
    return run;
  }

  /** The topology's state nodes, or undefined when the cluster has none for it. */
  async state(topology: string): Promise<TopologyStateJson | undefined> {
    const run = await this.egret(['state', this.cluster, topology, '--format', 'json']);
    if (run.status === 5 && /has no state for topology/.test(run.stderr)) return undefined;
    assert.equal(run.status, 0, `egret state failed:\n${run.stdout}${run.stderr}`);
    return JSON.parse(run.stdout) as TopologyStateJson;
  }

  /** The topologies the cluster's state manager lists. */
  async running(): Promise<Array<{ topology: string; id: string; role: string; environment: string }>> {
    const run = await this.egret(['state', this.cluster, '--format', 'json']);
    assert.equal(run.status, 0, `egret state failed:\n${run.stdout}${run.stderr}`);
    return (JSON.parse(run.stdout) as { topologies: Array<{ topology: string; id: string; role: string; environment: string }> }).topologies;
  }

  /** Waits until the topology's physical plan satisfies `accept`, and returns it. */
  physicalPlan(topology: string, what: string, accept: (plan: PhysicalPlanJson) => boolean, deadlineMs = 60_000): Promise<PhysicalPlanJson> {
    return waitFor(
      `the physical plan of '${topology}' to show ${what}`,
      async () => {
        const plan = (await this.state(topology))?.nodes.pplans;
        return plan !== undefined && accept(plan) ? plan : undefined;
      },
      deadlineMs,
      200,
    );
  }

  /** Every live process of every topology of this cluster (by the environment the kernel holds, not pid files). */
  processes(): CensusProcess[] {
    return topologyProcesses(this.topologiesRoot);
  }

  /** The working directory of a topology submitted under `role`. */
  workingDirectory(topology: string, role: string): string {
    return join(this.topologiesRoot, this.cluster, role, topology);
  }

  /**
   * The end of every test file: `egret kill` for whatever still runs (under the role and environment it runs
   * under), then SIGKILL for any process left, which fails the test that left it.
   */
  async cleanUp(): Promise<void> {
    const killed: string[] = [];
    for (const t of await this.running().catch(() => [])) {
      const run = await this.egret(['kill', `${this.cluster}/${t.role}/${t.environment}`, t.topology]);
      killed.push(`${t.topology}: exit ${run.status}`);
    }
    const left = killTopologyProcesses(this.topologiesRoot);
    assert.deepEqual(left, [], `processes left after the tests (${killed.join(', ') || 'nothing to kill'}): ${describe(left)}`);
  }
}

/** Asserts that none of `processes` is alive any more (each checked by its pid). */
export function assertAllGone(processes: readonly CensusProcess[], what: string): void {
  const alive = processes.filter((p) => isAlive(p.pid));
  assert.deepEqual(alive, [], `${what}: still alive: ${describe(alive)}`);
}

/** The `.pid` files under `dir`, recursively (a stopped topology leaves none). */
export function pidFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.pid'));
}

/** The processes of one container: its executor and the processes the executor started there. */
export function containerProcesses(processes: readonly CensusProcess[], container: number): CensusProcess[] {
  return processes.filter((p) => p.name === `executor-${container}` || p.workingDir.endsWith(`/container-${container}`));
}
