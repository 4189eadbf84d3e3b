#!/usr/bin/env node
// `egret-tmanager`: the topology manager of container 0, and the composition root naming its plugins.
import { configureLogging, type LogLevel } from '../core/logging.js';
import { runTManagerProcess } from '../runtime/tmanager/tmanager-process.js';

configureLogging({ level: (process.env['EGRET_LOG_LEVEL'] as LogLevel | undefined) ?? 'info', format: 'json' });
await runTManagerProcess(process.argv.slice(2), async () => (await import('./built-in-state-managers.js')).builtInStateManagerRegistry());
