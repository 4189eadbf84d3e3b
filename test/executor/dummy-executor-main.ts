// egret-executor with dummy children (dummy-child.ts) in place of the topology manager, stream manager and
// instances: the real executor, composed as bin/egret-executor.ts composes it, for the supervision tests.
import { fileURLToPath } from 'node:url';
import { builtInRegistry } from '../../bin/built-in-plugins.js';
import type { ProcessCommands } from '../../runtime/executor/container-processes.js';
import { runExecutorMain } from '../../runtime/executor/executor-main.js';
import { downloaderModules } from '../../uploaders/downloaders.js';

const dummy = fileURLToPath(new URL('./dummy-child.js', import.meta.url));
const commands: ProcessCommands = {
  tmanager: { command: process.execPath, args: [dummy, 'tmanager'] },
  stmgr: { command: process.execPath, args: [dummy, 'stmgr'] },
  metricsmgr: { command: process.execPath, args: [dummy, 'metricsmgr'] },
  instance: { command: process.execPath, args: [dummy, 'instance'] },
};

process.exit(
  await runExecutorMain(process.argv.slice(2), {
    registry: async () => builtInRegistry(),
    downloaderModules,
    commands,
    stopGraceMs: Number(process.env['EGRET_TEST_STOP_GRACE_MS'] ?? 2000),
  }),
);
