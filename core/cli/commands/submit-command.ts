import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import { addConfigOptions, formatOption } from '../common-options.js';
import type { SubmitCommandOptions } from './submit-action.js';

/**
 * `egret submit <cluster>[/<role>[/<env>]] <topology-file> [topology-args...]`: submits the topology, printing each
 * step; `--wait` returns once every instance runs. With `--dry-run` it loads and validates the topology, runs the
 * configured packing plugin and prints the plan, touching nothing.
 */
export function registerSubmitCommand(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  addConfigOptions(
    program
      .command('submit')
      .description('submit a topology to a cluster (with --dry-run: validate and pack it, and print the plan)')
      .argument('<cluster>', '<cluster>[/<role>[/<env>]]; role defaults to your user name, env to "default"')
      .argument('<topology-file>', 'a topology module (.ts, .js) or spec file (.json, .yaml)')
      .argument('[topology-args...]', "words handed to a topology module's default-export function (e.g. parallelism)")
      .option('--dry-run', 'validate and pack the topology and print the plan; submit nothing')
      .option('--deploy-deactivated', 'start the topology paused: spouts wait for egret activate')
      .option('--wait', 'return only once every instance is running')
      .option('--wait-timeout <seconds>', 'how long --wait waits', '60'),
  )
    .addOption(formatOption('--dry-run-format <format>', ['table', 'json'], 'format of the --dry-run plan'))
    .action(async (clusterArg: string, topologyFile: string, topologyArgs: string[], options: SubmitCommandOptions) => {
      const { submitAction } = await import('./submit-action.js');
      await submitAction(clusterArg, topologyFile, topologyArgs, options, io, await registry());
    });
}
