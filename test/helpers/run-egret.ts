import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs as dist/test/helpers/run-egret.js). */
export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const EGRET = resolve(REPO_ROOT, 'dist', 'bin', 'egret.js');

export interface EgretRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `egret` binary in a child process from the repository root, with a deadline. */
export function runEgret(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): EgretRun {
  const result = spawnSync(process.execPath, [EGRET, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
