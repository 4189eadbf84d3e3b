#!/usr/bin/env node
// The `egret-executor` process: the composition root of a container's executor. It names the real entry points
// of the processes it supervises, the built-in state managers and the remote downloaders.
import type { ProcessCommands } from '../runtime/executor/container-processes.js';
import { runExecutorMain } from '../runtime/executor/executor-main.js';
import { installedEntryPoint } from '../core/submit/installed-entry-point.js';
import { downloaderModules } from '../uploaders/downloaders.js';

// Bundled unless EGRET_UNBUNDLED is set (the launcher sets it for topologies that load external plugins).
const commands: ProcessCommands = {
  tmanager: installedEntryPoint('egret-tmanager'),
  stmgr: installedEntryPoint('egret-stmgr'),
  metricsmgr: installedEntryPoint('egret-metricsmgr'),
  instance: installedEntryPoint('egret-instance'),
};

process.exit(
  await runExecutorMain(process.argv.slice(2), {
    registry: async () => (await import('./built-in-state-managers.js')).builtInStateManagerRegistry(),
    downloaderModules,
    commands,
  }),
);
