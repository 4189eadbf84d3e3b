// A stand-in for egret-tmanager, egret-stmgr and egret-instance in the executor's tests: prints what it was started
// with, behaves as the behaviour file tells it (by process name), and, like the real processes, exits when its
// executor's IPC channel closes.
import { readFileSync } from 'node:fs';
import { onExecutorGone } from '../../runtime/common/executor-channel.js';

/** What a dummy does, by process name (or `*` for all) in the JSON file named by EGRET_DUMMY_BEHAVIOUR. */
export interface DummyBehaviour {
  /** Exit on its own after this long (with `exitCode`). */
  readonly exitAfterMs?: number;
  readonly exitCode?: number;
  /** Ignore SIGTERM (the executor must SIGKILL it after the grace period). */
  readonly ignoreTerm?: boolean;
  /** Outlive the executor (as a child stuck in synchronous code would): for the tests of leftover reaping. */
  readonly ignoreDisconnect?: boolean;
}

const name = process.env['EGRET_PROCESS_NAME'] ?? 'unnamed';
const behaviourFile = process.env['EGRET_DUMMY_BEHAVIOUR'];
let behaviour: DummyBehaviour = {};
if (behaviourFile) {
  try {
    const all = JSON.parse(readFileSync(behaviourFile, 'utf8')) as Record<string, DummyBehaviour>;
    behaviour = all[name] ?? all['*'] ?? {};
  } catch {
    // No file yet: the default behaviour.
  }
}

onExecutorGone(() => {
  process.stdout.write(`dummy ${name} pid=${process.pid}: IPC channel closed${behaviour.ignoreDisconnect ? ' (ignored)' : ', exiting'}\n`);
  if (!behaviour.ignoreDisconnect) process.exit(0);
});
process.on('SIGTERM', () => {
  process.stdout.write(`dummy ${name} pid=${process.pid}: SIGTERM${behaviour.ignoreTerm ? ' (ignored)' : ''}\n`);
  if (!behaviour.ignoreTerm) process.exit(0);
});
if (behaviour.exitAfterMs !== undefined) {
  setTimeout(() => {
    process.stderr.write(`dummy ${name} pid=${process.pid}: exiting with ${behaviour.exitCode ?? 0} as told\n`);
    process.exit(behaviour.exitCode ?? 0);
  }, behaviour.exitAfterMs);
}
// Said last, so that a test seeing it knows the handlers above are in place.
process.stdout.write(`dummy ${name} pid=${process.pid} args=${JSON.stringify(process.argv.slice(2))} restarts=${process.env['EGRET_RESTART_COUNT'] ?? '?'}\n`);
// Stay alive until told otherwise (the IPC channel alone would too, but not when started without one).
setInterval(() => undefined, 60_000);
