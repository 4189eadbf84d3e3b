#!/usr/bin/env node
// The `egret-scheduler` process: the composition root of a topology's scheduler in service mode. It names the
// built-in state managers and schedulers (bin/built-in-scheduler-plugins.ts) and the remote downloaders.
import { runSchedulerMain } from '../core/submit/scheduler-main.js';
import { downloaderModules } from '../uploaders/downloaders.js';

process.exit(
  await runSchedulerMain(process.argv.slice(2), {
    registry: async () => (await import('./built-in-scheduler-plugins.js')).builtInSchedulerProcessRegistry(),
    downloaderModules,
  }),
);
