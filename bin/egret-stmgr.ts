#!/usr/bin/env node
// `egret-stmgr`: a container's stream manager, and the composition root naming its plugins and its data path.
import { configureLogging, type LogLevel } from '../core/logging.js';
import { createDataPath } from '../native/index.js';
import { runStMgrProcess } from '../runtime/stmgr/stmgr-process.js';

configureLogging({ level: (process.env['EGRET_LOG_LEVEL'] as LogLevel | undefined) ?? 'info', format: 'json' });
await runStMgrProcess(process.argv.slice(2), {
  registry: async () => (await import('./built-in-state-managers.js')).builtInStateManagerRegistry(),
  createDataPath,
});
