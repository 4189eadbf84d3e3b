#!/usr/bin/env node
// The `egret` command: the composition root of the CLI.
import { runCli } from '../core/cli/egret-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  registry: async () => (await import('./built-in-plugins.js')).builtInRegistry(),
});
