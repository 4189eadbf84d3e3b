import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { CliIo } from '../cli-io.js';

/** Egret's version, read from its package.json (this file is dist/core/cli/commands/version-command.js). */
export function egretVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** `egret version`: Egret's version and the runtime's. */
export function registerVersionCommand(program: Command, io: CliIo): void {
  program
    .command('version')
    .description("print Egret's version and the Node.js it runs on")
    .action(() => {
      io.out(`egret ${egretVersion()}\nnode ${process.version} (${process.platform}-${process.arch})\n`);
    });
}
