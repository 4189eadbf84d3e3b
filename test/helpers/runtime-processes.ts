import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` until it holds (or returns a value other than undefined / false); fails naming `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, condition: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** One JSON log line of a runtime process (core/logging.ts, json format). */
export interface RuntimeLogLine {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/**
 * A runtime process (egret-tmanager, egret-stmgr) started from dist/bin as its executor would: with an IPC channel,
 * so it exits when this process dies, and with its JSON log lines kept for assertions.
 */
export class RuntimeProcess {
  readonly logs: RuntimeLogLine[] = [];
  /** Lines of stderr that are not JSON (crashes, usage errors). */
  readonly rawOutput: string[] = [];
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as RuntimeLogLine);
      } catch {
        this.rawOutput.push(line);
      }
    });
    child.stdout!.on('data', (chunk: Buffer) => this.rawOutput.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Waits for a log line that `match` accepts, among those after the first `from` lines; fails with the output so far. */
  async waitForLog(what: string, match: (line: RuntimeLogLine) => boolean, timeoutMs: number, from = 0): Promise<RuntimeLogLine> {
    try {
      return await waitUntil(what, () => this.logs.slice(from).find(match) ?? (this.hasExited ? Promise.reject(new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode})`)) : undefined), timeoutMs);
    } catch (error) {
      throw new Error(`${this.name}: ${(error as Error).message} waiting for ${what}\n${this.describeOutput()}`);
    }
  }

  /** Everything the process said, for failure messages. */
  describeOutput(): string {
    return [...this.logs.map((l) => JSON.stringify(l)), ...this.rawOutput].join('\n');
  }

  /** Waits for the exit and returns the code (or the signal's name). */
  async exit(): Promise<number | string> {
    await this.exited;
    return this.child.exitCode ?? this.child.signalCode ?? 'unknown';
  }

  /** Sends `signal` (SIGKILL by default) unless it has exited, and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.hasExited) this.child.kill(signal);
    await this.exited;
  }
}

/** Starts runtime processes and kills every one still running in {@link killAll} or when this process exits. */
export class RuntimeProcesses {
  private readonly running = new Set<RuntimeProcess>();

  constructor() {
    process.once('exit', () => {
      for (const p of this.running) p.child.kill('SIGKILL');
    });
  }

  /** Starts `dist/bin/<command>.js` with `args`. */
  start(command: 'egret-tmanager' | 'egret-stmgr', args: readonly string[], env: NodeJS.ProcessEnv = {}): RuntimeProcess {
    const script = fileURLToPath(new URL(`../../bin/${command}.js`, import.meta.url));
    const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, EGRET_LOG_LEVEL: 'debug', ...env },
    });
    const started = new RuntimeProcess(`${command} ${args.join(' ')}`, child);
    this.running.add(started);
    void started.exit().then(() => this.running.delete(started));
    return started;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.running].map((p) => p.kill('SIGKILL')));
  }
}
