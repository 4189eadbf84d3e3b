import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Container } from 'inversify';
import type { PluginDescriptor } from '../../core/plugins/plugin-descriptor.js';
import { StateManager } from '../../core/spi/state-manager.js';

/**
 * What the state-manager contract suite needs besides the contract: opening a state manager from a plugin
 * descriptor the way Egret does (its real DI module, its validated config), child processes that use one, and
 * waits with deadlines.
 */

/** Where child processes load a plugin descriptor from: a module (path or package name) and the export's name. */
export interface PluginLocation {
  readonly module: string;
  readonly exportName: string;
}

/** Imports the descriptor; throws when the module does not export a statemgr plugin descriptor under that name. */
export async function loadDescriptor(location: PluginLocation): Promise<PluginDescriptor> {
  const loaded = (await import(location.module)) as Record<string, unknown>;
  const descriptor = loaded[location.exportName] as PluginDescriptor | undefined;
  if (!descriptor || descriptor.family !== 'statemgr') throw new Error(`${location.module} does not export a statemgr plugin descriptor named ${location.exportName}`);
  return descriptor;
}

/** A state manager built as Egret builds one: the plugin's config validated by its schema, its module loaded. */
export async function openStateManager(descriptor: PluginDescriptor, config: Readonly<Record<string, unknown>>): Promise<StateManager> {
  const container = new Container();
  container.bind(descriptor.configToken).toConstantValue(Object.freeze(descriptor.configSchema.parse(config)));
  await container.loadAsync(descriptor.module);
  return container.get<StateManager>(StateManager);
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** What a child process is asked to do (see statemgr-child.ts). */
export interface ChildOrder {
  readonly plugin: PluginLocation;
  readonly config: Readonly<Record<string, unknown>>;
  readonly action: 'create' | 'hold-lock' | 'hold-ephemeral' | 'write-loop' | 'watch';
  readonly kind?: string;
  /** hold-ephemeral: also watch this node of the topology. */
  readonly watchKind?: string;
  readonly topology: string;
  readonly seq?: number;
  readonly timeoutMs?: number;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./statemgr-child.js', import.meta.url));

/** A child process running {@link ChildOrder}, its stdout read line by line. */
export class StateManagerChild {
  readonly lines: string[] = [];
  stderr = '';
  private readonly exited: Promise<void>;

  constructor(readonly process: ChildProcess) {
    createInterface({ input: process.stdout! }).on('line', (line) => this.lines.push(line));
    process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
  }

  /** Waits for a stdout line matching `pattern` and returns it; fails with the child's stderr after `timeoutMs`. */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    try {
      await waitFor(`a line matching ${pattern}`, () => this.lines.some((line) => pattern.test(line)) || this.hasExited, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}; child said: ${this.lines.join(' | ')}; stderr: ${this.stderr}`);
    }
    const line = this.lines.find((l) => pattern.test(l));
    if (line === undefined) throw new Error(`the child exited (${this.process.exitCode ?? this.process.signalCode}) without a line matching ${pattern}; said: ${this.lines.join(' | ')}; stderr: ${this.stderr}`);
    return line;
  }

  get hasExited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  /** Sends `signal` and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.hasExited) this.process.kill(signal);
    await this.exited;
  }

  exit(): Promise<void> {
    return this.exited;
  }
}

/**
 * Starts child processes and kills every one still running when {@link killAll} runs (an `afterEach` hook), or
 * when this process exits however it exits.
 */
export class ChildProcesses {
  private readonly children = new Set<StateManagerChild>();

  constructor() {
    process.once('exit', () => {
      for (const child of this.children) child.process.kill('SIGKILL');
    });
  }

  start(order: ChildOrder, env: NodeJS.ProcessEnv = {}): StateManagerChild {
    // stdin stays open for the child's life: the child exits when it closes, that is when this process dies.
    const child = new StateManagerChild(spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(order)], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } }));
    this.children.add(child);
    void child.exit().then(() => this.children.delete(child));
    return child;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => child.kill('SIGKILL')));
  }
}
