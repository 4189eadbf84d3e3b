import { Command, CommanderError } from 'commander';
import { isEgretError, messageOf } from '../errors.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { type CliIo, processIo } from './cli-io.js';
import { registerConfigCommand } from './commands/config-command.js';
import { registerLifecycleCommands } from './commands/lifecycle-commands.js';
import { registerListCommand } from './commands/list-command.js';
import { registerPackCommand } from './commands/pack-command.js';
import { registerRepackCommand } from './commands/repack-command.js';
import { registerStateCommand } from './commands/state-command.js';
import { registerStatusCommand } from './commands/status-command.js';
import { registerSubmitCommand } from './commands/submit-command.js';
import { registerUpdateCommand } from './commands/update-command.js';
import { egretVersion, registerVersionCommand } from './commands/version-command.js';
import { EXIT_CODES_HELP, ExitCode, exitCodeOf } from './exit-codes.js';

export interface CliDependencies {
  /** The plugins built in to this entry point; asked for only by commands that use plugins, since loading them costs. */
  readonly registry: () => Promise<PluginRegistry>;
  readonly io?: CliIo;
}

/**
 * Runs one `egret` command line and returns its exit code; never throws and never calls process.exit, so callers
 * (bin/egret, tests) decide. User errors print one line `egret: <reason>` on stderr (and the list of problems
 * where there are several); a stack trace only with --verbose, or for an internal error.
 */
export async function runCli(argv: readonly string[], dependencies: CliDependencies): Promise<ExitCode> {
  const io = dependencies.io ?? processIo;
  const verbose = argv.includes('--verbose');
  const program = buildProgram(io, dependencies.registry, verbose);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const code = exitCodeOf(error);
    io.err(`egret: ${messageOf(error)}\n`);
    if (verbose || !isEgretError(error)) io.err(`${(error instanceof Error && error.stack) || String(error)}\n`);
    return code;
  }
}

function buildProgram(io: CliIo, registry: () => Promise<PluginRegistry>, verbose: boolean): Command {
  const program = new Command('egret')
    .description('Egret: run stream-processing topologies (spouts, bolts, streams) on a cluster of your choice')
    .version(egretVersion(), '-V, --version', "print Egret's version")
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .showHelpAfterError(false)
    .exitOverride()
    .hook('preAction', async () => {
      const { configureLogging } = await import('../logging.js');
      configureLogging({ level: verbose ? 'debug' : 'warn', format: 'human' });
    })
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`egret: ${text.replace(/^error: /, '')}`),
    });
  registerVersionCommand(program, io);
  registerConfigCommand(program, io, registry);
  registerSubmitCommand(program, io, registry);
  registerLifecycleCommands(program, io, registry);
  registerUpdateCommand(program, io, registry);
  registerListCommand(program, io, registry);
  registerStatusCommand(program, io, registry);
  registerPackCommand(program, io, registry);
  registerRepackCommand(program, io, registry);
  registerStateCommand(program, io, registry);
  for (const command of program.commands) command.exitOverride().addHelpText('after', `\n${EXIT_CODES_HELP}\n`);
  return program;
}
