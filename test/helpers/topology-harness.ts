import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packingPlanToProto, type ProtoPhysicalPlan } from '../../core/proto/index.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { RUNTIME_NODE_OPTIONS } from '../../core/submit/installed-entry-point.js';
import { containerOfProcess, containerProcesses } from '../../runtime/executor/container-processes.js';
import { isRunning } from '../../runtime/executor/process-liveness.js';
import { ProcessFiles } from '../../runtime/executor/process-files.js';
import { type HarnessTopology, type HarnessTopologyOptions, prepareHarnessTopology } from './harness-setup.js';
import { type PackageServer, selfSignedCertificate, servePackage } from './package-server.js';
import { processesMentioning } from './processes-under.js';
import { REPO_ROOT } from './run-egret.js';
import { waitFor, withDeadline } from './wait-for.js';

/** How a harness runs a topology. */
export interface TopologyHarnessOptions extends HarnessTopologyOptions {
  /** The executor's entry point, run with node; default the real dist/bin/egret-executor.js. */
  readonly executorEntry?: string;
  /** Extra environment for the executors (and so their children). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Where executors fetch the package from: its file: URI (default), or a loopback HTTP or HTTPS server (with a
   * self-signed certificate the executors trust through NODE_EXTRA_CA_CERTS; needs the openssl command).
   */
  readonly transport?: 'file' | 'http' | 'https';
  /** Deadline of every wait that is not given its own; default 30 s (a busy 2-core machine starts Node slowly). */
  readonly deadlineMs?: number;
  /** Leave the temporary directory in place after stop (to read the logs of a failed run). */
  readonly keep?: boolean;
}

/** One executor process the harness started. */
export interface ExecutorHandle {
  readonly container: number;
  readonly process: ChildProcess;
  /** Resolves when it exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const EXECUTOR = resolve(REPO_ROOT, 'dist', 'bin', 'egret-executor.js');
const live = new Set<ChildProcess>();
// Should the test process die, its executors die with it, and their children with them (IPC).
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Runs a topology without a scheduler, as the integration tests and the throughput benchmark need it: the package
 * built and the state written (see prepareHarnessTopology), one executor per container (0..N) started as a child
 * process with its working directory under a temporary root, and the means to watch and break what runs: wait for
 * the physical plan, read a process's log, SIGKILL a process by name and wait for its restart, stop everything and
 * check that nothing is left. Every wait has a deadline.
 */
export class TopologyHarness {
  private readonly executors = new Map<number, ExecutorHandle>();
  private server: PackageServer | undefined;
  private currentPlan: PackingPlan;
  private stopped = false;

  private constructor(
    /** The temporary directory holding the state, the package and every container's working directory. */
    readonly root: string,
    readonly topology: HarnessTopology,
    readonly packageUri: string,
    private readonly options: TopologyHarnessOptions,
  ) {
    this.currentPlan = topology.plan;
  }

  /** Builds the package and writes the state; starts nothing (see {@link startExecutors}). */
  static async prepare(options: TopologyHarnessOptions): Promise<TopologyHarness> {
    const root = mkdtempSync(join(tmpdir(), 'egret-harness-'));
    try {
      const topology = await prepareHarnessTopology(root, options);
      const tls = options.transport === 'https' ? selfSignedCertificate(root) : undefined;
      const server = options.transport === 'http' || tls ? await servePackage(topology.packageFile, tls) : undefined;
      const withTrust = tls ? { ...options, env: { ...options.env, NODE_EXTRA_CA_CERTS: tls.certFile } } : options;
      const harness = new TopologyHarness(root, topology, server?.uri ?? topology.packageFileUri, withTrust);
      harness.server = server;
      return harness;
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  /** {@link prepare}, then {@link startExecutors}. */
  static async start(options: TopologyHarnessOptions): Promise<TopologyHarness> {
    const harness = await TopologyHarness.prepare(options);
    harness.startExecutors();
    return harness;
  }

  get topologyName(): string {
    return this.topology.runtime.topologyName;
  }

  get topologyId(): string {
    return this.topology.runtime.topologyId;
  }

  /** The packing plan the state holds, as the harness last wrote it. */
  get plan(): PackingPlan {
    return this.currentPlan;
  }

  /** Container 0 and every container of the plan. */
  get containers(): number[] {
    return [0, ...this.plan.containers.map((c) => c.id)];
  }

  get deadlineMs(): number {
    return this.options.deadlineMs ?? 30_000;
  }

  /** The names of the processes the executor of `container` runs under the current plan (tmanager, stmgr-c, instances). */
  processNames(container: number): string[] {
    const plan = this.plan.containers.find((c) => c.id === container);
    return [...containerProcesses({ container, packageDir: this.workingDir(container), topologyId: this.topologyId, ...(plan ? { plan } : {}) }).keys()];
  }

  workingDir(container: number): string {
    return join(this.root, 'containers', String(container));
  }

  /** Starts one executor per container. */
  startExecutors(): void {
    for (const container of this.containers) this.startExecutor(container);
  }

  /** Starts the executor of `container` (again, after it exited); its stdout and stderr go to {@link executorLog}. */
  startExecutor(container: number): ExecutorHandle {
    if (this.stopped) throw new Error('the harness is stopped');
    const running = this.executors.get(container);
    if (running && running.process.exitCode === null && running.process.signalCode === null) throw new Error(`the executor of container ${container} is running`);
    const dir = this.workingDir(container);
    mkdirSync(dir, { recursive: true });
    const log = openSync(this.executorLogPath(container), 'a');
    const child = spawn(
      process.execPath,
      [...RUNTIME_NODE_OPTIONS, '--enable-source-maps', this.options.executorEntry ?? EXECUTOR, '--package-uri', this.packageUri, '--container', String(container), '--working-dir', dir],
      { stdio: ['ignore', log, log], env: { ...process.env, EGRET_LOG_LEVEL: 'info', ...this.options.env } },
    );
    closeSync(log);
    live.add(child);
    const exited = once(child, 'exit').then(([code, signal]) => {
      live.delete(child);
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
    const handle = { container, process: child, exited };
    this.executors.set(container, handle);
    return handle;
  }

  executor(container: number): ExecutorHandle {
    const handle = this.executors.get(container);
    if (!handle) throw new Error(`no executor was started for container ${container}`);
    return handle;
  }

  /** SIGKILLs (or signals) the executor of `container` and waits for it to exit. */
  async killExecutor(container: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const handle = this.executor(container);
    handle.process.kill(signal);
    return withDeadline(handle.exited, this.deadlineMs, `the executor of container ${container} to exit after ${signal}`);
  }

  executorLogPath(container: number): string {
    return join(this.root, `executor-${container}.log`);
  }

  /** What the executor of `container` wrote (its JSON log lines), across its restarts. */
  executorLog(container: number): string {
    return readIfExists(this.executorLogPath(container));
  }

  /** The log of process `name` (`tmanager`, `stmgr-1`, `container_1_words_3`), '' before it first started. */
  readLog(name: string): string {
    return readIfExists(this.filesOf(name).logPath(name));
  }

  /** The live pid of process `name` as its executor recorded it, or undefined while it is down. */
  pidOf(name: string): number | undefined {
    return this.filesOf(name).readPids().get(name);
  }

  /**
   * Waits until process `name` runs, with another pid than `notPid` if given; returns its pid. Fails at once, with
   * the end of the executor's log, when the executor of its container has exited meanwhile.
   */
  async waitForProcess(name: string, options: { notPid?: number; deadlineMs?: number } = {}): Promise<number> {
    const container = containerOfProcess(name) as number;
    const found = await waitFor(
      `process ${name} to run${options.notPid ? ` with a pid other than ${options.notPid}` : ''}`,
      () => {
        const pid = this.pidOf(name);
        if (pid !== undefined && pid !== options.notPid && isRunning(pid)) return { pid };
        const executor = this.executors.get(container)?.process;
        return executor && (executor.exitCode !== null || executor.signalCode !== null) ? { pid: undefined } : undefined;
      },
      options.deadlineMs ?? this.deadlineMs,
    );
    if (found.pid === undefined) throw new Error(`the executor of container ${container} exited before process ${name} ran; ${this.executorLogTail(container)}`);
    return found.pid;
  }

  /** Waits until every process of `containers` (default all) runs; returns their pids by name. */
  async waitForProcesses(containers: readonly number[] = this.containers): Promise<Map<string, number>> {
    const names = containers.flatMap((container) => this.processNames(container));
    const pids = await Promise.all(names.map((name) => this.waitForProcess(name)));
    return new Map(names.map((name, i) => [name, pids[i] as number]));
  }

  /** Sends `signal` (default SIGKILL) to process `name` once it runs; returns the pid signalled. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number> {
    const pid = await this.waitForProcess(name);
    process.kill(pid, signal);
    return pid;
  }

  /** SIGKILLs process `name` and waits for its executor to start it again; returns the new pid. */
  async killAndAwaitRestart(name: string, deadlineMs = this.deadlineMs): Promise<number> {
    const old = await this.kill(name, 'SIGKILL');
    return this.waitForProcess(name, { notPid: old, deadlineMs });
  }

  /**
   * Reads the physical plan the topology manager published, waiting until there is one (and `accept` accepts it).
   */
  async waitForPhysicalPlan(options: { accept?: (plan: ProtoPhysicalPlan) => boolean; deadlineMs?: number } = {}): Promise<ProtoPhysicalPlan> {
    const found = await waitFor(
      'the physical plan',
      async () => {
        const plan = await this.topology.state.find('pplans', this.topologyName);
        if (plan && (options.accept?.(plan) ?? true)) return { plan };
        // No plan comes once an executor has given up: say so now, with why, rather than at the deadline.
        const dead = [...this.executors.values()].find((e) => e.process.exitCode !== null || e.process.signalCode !== null);
        return dead ? { dead: dead.container } : undefined;
      },
      options.deadlineMs ?? this.deadlineMs,
      100,
    );
    if (found.dead !== undefined) throw new Error(`the executor of container ${found.dead} exited before the physical plan was accepted; ${this.executorLogTail(found.dead)}`);
    return found.plan as ProtoPhysicalPlan;
  }

  /** Writes a new packing plan (as `egret update` would), for the executors to follow. */
  async setPackingPlan(plan: PackingPlan): Promise<void> {
    await this.topology.state.set('packingplans', this.topologyName, packingPlanToProto(plan));
    this.currentPlan = plan;
  }

  /** Every pid the executors reported starting (from their logs), dead or alive. */
  childPids(): Map<number, string> {
    const pids = new Map<number, string>();
    for (const container of this.executors.keys()) {
      for (const line of this.executorLog(container).split('\n')) {
        if (!line.includes('"process started"')) continue;
        try {
          const entry = JSON.parse(line) as { pid?: number; process?: string };
          if (entry.pid !== undefined) pids.set(entry.pid, entry.process ?? '?');
        } catch {
          // A line cut short by a SIGKILLed executor.
        }
      }
    }
    return pids;
  }

  /** Child pids still running, with their names. */
  survivors(): Array<[number, string]> {
    const alive = new Map([...this.childPids()].filter(([pid]) => isRunning(pid)));
    for (const [pid, name] of processesMentioning(this.root)) if (!alive.has(pid)) alive.set(pid, name);
    return [...alive];
  }

  /**
   * Stops everything: SIGTERMs every executor, waits for it to exit (SIGKILL at the deadline), then checks that
   * every child any executor started is gone, SIGKILLing and naming the survivors in the error it throws. Closes the
   * state manager and the package server and removes the temporary directory (unless `keep`). Safe to call twice.
   */
  async stop(options: { deadlineMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const deadlineMs = options.deadlineMs ?? this.deadlineMs;
    const problems: string[] = [];
    await Promise.all(
      [...this.executors.values()].map(async (handle) => {
        if (handle.process.exitCode !== null || handle.process.signalCode !== null) return;
        handle.process.kill('SIGTERM');
        try {
          await withDeadline(handle.exited, deadlineMs, `executor ${handle.container} to stop`);
        } catch (error) {
          problems.push((error as Error).message);
          handle.process.kill('SIGKILL');
          await handle.exited;
        }
      }),
    );
    try {
      await waitFor('every child of every executor to be gone', () => this.survivors().length === 0, deadlineMs);
    } catch {
      const left = this.survivors();
      for (const [pid] of left) process.kill(pid, 'SIGKILL');
      await waitFor('the survivors to die of SIGKILL', () => left.every(([pid]) => !isRunning(pid)), deadlineMs).catch(() => undefined);
      problems.push(`children left behind: ${left.map(([pid, name]) => `${name} (pid ${pid})`).join(', ')}`);
    }
    await this.topology.state.close();
    await this.server?.close();
    if (!this.options.keep && problems.length === 0) rmSync(this.root, { recursive: true, force: true });
    if (problems.length > 0) throw new Error(`stopping the harness: ${problems.join('; ')} (logs kept in ${this.root})`);
  }

  private executorLogTail(container: number): string {
    return `its log ends:\n${this.executorLog(container).trimEnd().split('\n').slice(-8).join('\n')}`;
  }

  private filesOf(name: string): ProcessFiles {
    const container = containerOfProcess(name);
    if (container === undefined) throw new Error(`'${name}' is not a process name an executor gives`);
    return new ProcessFiles(this.workingDir(container));
  }
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
