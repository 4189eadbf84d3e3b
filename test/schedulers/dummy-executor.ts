// A stand-in for egret-executor in the local scheduler's tests: takes the executor's command line, starts one child
// (test/executor/dummy-child.ts) with an IPC channel and records its pid as an executor records its children's
// (`<working-dir>/pids/child-<c>.pid`, EGRET_PROCESS_NAME and EGRET_WORKING_DIR in its environment), stops it on
// SIGTERM and exits 0, and otherwise behaves as the behaviour file tells it (by container, or `*`).
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** What a dummy executor does, by container id (or `*`), in the JSON file named by EGRET_DUMMY_EXECUTOR_BEHAVIOUR. */
export interface DummyExecutorBehaviour {
  /** Ignore SIGTERM (the scheduler must SIGKILL it after the grace period). */
  readonly ignoreTerm?: boolean;
  /** Exit on its own after this long, with `exitCode` (default 1), leaving its child to notice. */
  readonly exitAfterMs?: number;
  readonly exitCode?: number;
}

const { values } = parseArgs({ options: { 'package-uri': { type: 'string' }, container: { type: 'string' }, 'working-dir': { type: 'string' } }, strict: true });
const container = values.container ?? '?';
const workingDir = values['working-dir'] as string;
const behaviourFile = process.env['EGRET_DUMMY_EXECUTOR_BEHAVIOUR'];
let behaviour: DummyExecutorBehaviour = {};
if (behaviourFile) {
  try {
    const all = JSON.parse(readFileSync(behaviourFile, 'utf8')) as Record<string, DummyExecutorBehaviour>;
    behaviour = all[container] ?? all['*'] ?? {};
  } catch {
    // No file: the default behaviour.
  }
}

const childName = `child-${container}`;
const pidFile = join(workingDir, 'pids', `${childName}.pid`);
mkdirSync(join(workingDir, 'pids'), { recursive: true });
const child = fork(fileURLToPath(new URL('../executor/dummy-child.js', import.meta.url)), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, EGRET_PROCESS_NAME: childName, EGRET_WORKING_DIR: workingDir, EGRET_DUMMY_BEHAVIOUR: '' },
});
writeFileSync(pidFile, `${child.pid}\n`);

process.on('SIGTERM', () => {
  process.stdout.write(`dummy executor ${container} pid=${process.pid}: SIGTERM${behaviour.ignoreTerm ? ' (ignored)' : ''}\n`);
  if (behaviour.ignoreTerm) return;
  child.once('exit', () => {
    rmSync(pidFile, { force: true });
    process.exit(0);
  });
  child.kill('SIGTERM');
});
if (behaviour.exitAfterMs !== undefined) {
  setTimeout(() => process.exit(behaviour.exitCode ?? 1), behaviour.exitAfterMs);
}
process.stdout.write(`dummy executor ${container} pid=${process.pid} child=${child.pid} args=${JSON.stringify(process.argv.slice(2))}\n`);
setInterval(() => undefined, 60_000);
