import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ConfigValue } from '../../api/config-value.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { buildTopologyPackage, unpackTopologyPackage } from '../../core/package/index.js';
import { loadTopology } from '../../core/topology/topology-loader.js';
import type { FakeTask } from '../helpers/fake-stmgr.js';
import { tempDir, writeFiles } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const INSTANCE_BIN = fileURLToPath(new URL('../../bin/egret-instance.js', import.meta.url));

/** An unpacked package built from a topology module's source, and the topology it defines. */
export interface InstancePackage {
  readonly dir: string;
  readonly topology: TopologyDefinition;
  readonly topologyId: string;
}

/**
 * Writes `source` as a topology module, bundles and packages it as `egret submit` does (core/package), and unpacks
 * it. `config` is merged over the topology's own config into config.json.
 */
export async function buildInstancePackage(source: string, config: Readonly<Record<string, ConfigValue>> = {}): Promise<InstancePackage> {
  const dir = tempDir();
  writeFiles(dir, { 'topology.ts': source });
  const loaded = await loadTopology(join(dir, 'topology.ts'), { args: [], config });
  const topology = { ...loaded.topology, config: { ...loaded.topology.config, ...config } };
  const topologyId = `${topology.name}-${process.pid}-${Date.now().toString(36)}`;
  const built = await buildTopologyPackage({
    topologyFile: join(dir, 'topology.ts'),
    topology,
    runtime: { topologyName: topology.name, topologyId, cluster: 'local', role: 'tester', environment: 'test' },
    config: topology.config,
    output: join(dir, 'topology.tgz'),
  });
  const pkg = await unpackTopologyPackage(built.file, join(dir, 'package'));
  return { dir: pkg.dir, topology, topologyId };
}

/** One JSON log line of the instance. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly level: string; readonly message: string };

/** An `egret-instance` process, killed when the test file ends. */
export class InstanceProcess {
  readonly logs: LogLine[] = [];
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.output.push(line);
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        // Not a log line (a crash before logging is set up): kept in `output`.
      }
    });
    child.stdout!.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Waits for a log line `match` accepts. */
  waitForLog(what: string, match: (line: LogLine) => boolean, deadlineMs = 15_000): Promise<LogLine> {
    return waitFor(what, () => this.logs.find(match) ?? (this.hasExited ? Promise.reject(new Error(`the instance exited:\n${this.output.join('\n')}`)) : undefined), deadlineMs);
  }

  /** Waits for the process to exit, failing with its output after the deadline. */
  async waitForExit(deadlineMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the instance did not exit within ${deadlineMs} ms:\n${this.output.join('\n')}`)), deadlineMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.hasExited) this.child.kill(signal);
  }
}

export interface StartInstanceOptions {
  readonly packageDir: string;
  readonly endpoint: string;
  readonly task: FakeTask;
  readonly container?: number;
  /** Start with an IPC channel, as the executor does (default true). */
  readonly ipc?: boolean;
  /** Leave out --component and --component-index. */
  readonly withoutComponent?: boolean;
  readonly extraArgs?: readonly string[];
  /** Added to the environment (EGRET_RESTART_COUNT, say). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts `egret-instance` for one task of a fake stream manager. */
export function startInstance(options: StartInstanceOptions): InstanceProcess {
  const { task } = options;
  const args = [
    INSTANCE_BIN,
    '--package-dir',
    options.packageDir,
    '--container',
    String(options.container ?? 1),
    '--task-id',
    String(task.taskId),
    '--stmgr-endpoint',
    options.endpoint,
    ...(options.withoutComponent ? [] : ['--component', task.component, '--component-index', String(task.componentIndex)]),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, {
    stdio: options.ipc === false ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, EGRET_LOG_LEVEL: 'info', ...options.env },
  });
  const instance = new InstanceProcess(child);
  after(async () => {
    instance.kill();
    await instance.exited;
  });
  return instance;
}
