#!/usr/bin/env node
// The `egret-executor` process: the composition root of a container's executor. It names the real entry points
// of the processes it supervises, the built-in plugins (for the state manager) and the remote downloaders.
import { fileURLToPath } from 'node:url';
import type { ProcessCommands } from '../runtime/executor/container-processes.js';
import { runExecutorMain } from '../runtime/executor/executor-main.js';
import { downloaderModules } from '../uploaders/index.js';

const entry = (name: string) => ({ command: process.execPath, args: ['--enable-source-maps', fileURLToPath(new URL(`./${name}.js`, import.meta.url))] });

const commands: ProcessCommands = {
  tmanager: entry('egret-tmanager'),
  stmgr: entry('egret-stmgr'),
  metricsmgr: entry('egret-metricsmgr'),
  instance: entry('egret-instance'),
};

process.exit(
  await runExecutorMain(process.argv.slice(2), {
    registry: async () => (await import('./built-in-plugins.js')).builtInRegistry(),
    downloaderModules,
    commands,
  }),
);
