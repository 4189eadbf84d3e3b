// egret-scheduler with dummy executors (dummy-executor.ts) in place of egret-executor: the real scheduler process,
// composed as bin/egret-scheduler.ts composes it, for the tests of the scheduler process and the launcher.
import { builtInRegistry } from '../../bin/built-in-plugins.js';
import { runSchedulerMain } from '../../core/submit/scheduler-main.js';
import { LocalExecutorCommand } from '../../schedulers/local/local-commands.js';
import { downloaderModules } from '../../uploaders/downloaders.js';
import { DUMMY_EXECUTOR_COMMAND } from './dummy-commands.js';

process.exit(
  await runSchedulerMain(process.argv.slice(2), {
    registry: async () => builtInRegistry(),
    downloaderModules,
    bind: (container) => container.bind(LocalExecutorCommand).toConstantValue(DUMMY_EXECUTOR_COMMAND),
  }),
);
