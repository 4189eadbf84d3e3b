#!/usr/bin/env node
// `egret-metricsmgr`: a container's metrics manager, and the composition root naming its plugins (the tmanager
// sink finds the topology manager through the state manager the package's config names).
import { configureLogging, type LogLevel } from '../core/logging.js';
import { runMetricsManagerProcess } from '../runtime/metricsmgr/metricsmgr-process.js';

configureLogging({ level: (process.env['EGRET_LOG_LEVEL'] as LogLevel | undefined) ?? 'info', format: 'json' });
await runMetricsManagerProcess(process.argv.slice(2), async () => (await import('./built-in-state-managers.js')).builtInStateManagerRegistry());
