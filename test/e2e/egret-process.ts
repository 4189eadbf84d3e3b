import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../helpers/run-egret.js';

const EGRET = resolve(REPO_ROOT, 'dist', 'bin', 'egret.js');

/** One finished `egret` command. */
export interface EgretOutcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
}

/**
 * Runs the real `egret` command asynchronously (the event loop stays free, so a caller can watch processes while it
 * runs) with HOME set to `home` and `env` added to this process's environment, from the repository root; `onLine`
 * hears each line of stdout as it comes. Past `timeoutMs` (default 120 s) it is SIGKILLed and the outcome says so.
 */
export function egretAsync(
  args: readonly string[],
  home: string,
  options: { readonly timeoutMs?: number; readonly onLine?: (line: string) => void; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<EgretOutcome> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const started = performance.now();
  const child = spawn(process.execPath, [EGRET, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...options.env, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine?.(line);
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => {
    stderr += `\n[egret ${args.join(' ')}: killed after ${timeoutMs} ms]\n`;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((done, fail) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** `outcome`, or an Error quoting the command's output when it did not exit 0. */
export function expectOk(outcome: EgretOutcome, what: string): EgretOutcome {
  if (outcome.status !== 0) throw new Error(`${what} exited ${outcome.status}:\n${outcome.stdout}${outcome.stderr}`);
  return outcome;
}
