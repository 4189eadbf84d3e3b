import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import { threadCount, threadsSettleAt } from './helpers/threads.js';

const CHILD = fileURLToPath(new URL('./children/data-path-child.js', import.meta.url));
const DEADLINE_MS = 20_000;
const children = new Set<ReturnType<typeof spawn>>();

after(() => {
  for (const child of children) child.kill('SIGKILL');
});

interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly reports: Array<Record<string, unknown>>;
  readonly stderr: string;
}

/** Runs the child in `mode`; kills it (and fails) if it is still running at the deadline. */
function runChild(mode: string, nodeOptions: readonly string[] = []): Promise<ChildRun> {
  const child = spawn(process.execPath, [...nodeOptions, CHILD, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child '${mode}' did not exit within ${DEADLINE_MS} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, DEADLINE_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      const reports = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, signal, reports, stderr });
    });
  });
}

describe('addon teardown', () => {
  it('a data path collected without close() stops its thread, and the process then exits by itself', async () => {
    const run = await runChild('gc', ['--expose-gc']);
    assert.equal(run.signal, null, run.stderr);
    assert.equal(run.code, 0, run.stderr);
    const started = run.reports.find((r) => r['started'])!;
    const collected = run.reports.find((r) => r['collected'])!;
    assert.equal(started['threadsRunning'], (started['threadsBefore'] as number) + 1, 'the data path runs one thread');
    assert.equal(collected['threadsAfter'], started['threadsBefore'], 'collection stopped it');
  });

  it('process.exit() while the data thread is busy: no crash, no hang', async () => {
    const run = await runChild('exit');
    assert.equal(run.signal, null, run.stderr);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.reports.some((r) => r['started']));
  });

  it('an uncaught exception while the data thread is busy exits with 1, not a crash', async () => {
    const run = await runChild('throw');
    assert.equal(run.signal, null, run.stderr);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /deliberate uncaught exception/);
  });

  it('an exception thrown by an event listener surfaces as an uncaught exception, not swallowed by Node-API', async () => {
    const run = await runChild('listener-throws');
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.reports.some((r) => r['uncaught'] === 'listener threw on a closed event'), JSON.stringify(run.reports));
  });

  it('terminating a worker that runs a busy data path stops its thread (three times over)', async () => {
    const before = threadCount();
    for (let i = 0; i < 3; i++) {
      const worker = new Worker(CHILD, { workerData: 'worker' });
      try {
        await new Promise<void>((resolve, reject) => {
          worker.on('message', (message: Record<string, unknown>) => message['busy'] && resolve());
          worker.on('error', reject);
        });
      } finally {
        // Events are still on their way to the worker's JS, which can no longer run them: dropped, not fatal.
        await worker.terminate();
      }
      // The worker's own threads and the data thread go with it.
      await threadsSettleAt(before, `worker ${i + 1} terminated`);
    }
  });
});
