import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

/**
 * A fresh temporary directory, removed when the test file's process exits. `files` maps relative paths to contents
 * and is written into it. Not in an `after` hook: a suite's own `after` (stopping the processes that write into
 * the directory) is registered later and would run after the removal, racing it (ENOTEMPTY) and, once the removal
 * failed, never running at all.
 */
export function tempDir(files: Readonly<Record<string, string>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'egret-test-'));
  if (made.length === 0) process.once('exit', removeAll);
  made.push(dir);
  writeFiles(dir, files);
  return dir;
}

function removeAll(): void {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      // Something still writes there: a process a test left running, which that test's own checks report.
      process.stderr.write(`temp-dir: cannot remove ${dir}: ${(error as Error).message}\n`);
    }
  }
}

/** Writes files (relative path → contents) under `dir`, creating directories as needed. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, contents] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}
