import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import { addConfigOptions, formatOption } from '../common-options.js';
import type { PackCommandOptions } from './pack-action.js';
import { PLAN_FORMATS } from './pack-output.js';

/** `--algorithm` and `--cluster`, shared by `egret pack` and `egret repack`. */
export function addPackingOptions(command: Command, key: 'egret.packing' | 'egret.repacking'): Command {
  return command
    .option('--algorithm <name>', `the ${key === 'egret.packing' ? 'packing' : 'repacking'} plugin: round-robin, ffd, resource-compliant-rr, balanced or an external one (as --config-property ${key}=<name>)`)
    .option('--cluster <cluster>', "whose config to use: <cluster>[/<role>[/<env>]]", 'local');
}

/**
 * `egret pack <topology-file> [topology-args...]`: packs a topology with a packing plugin and prints the plan,
 * without submitting anything.
 */
export function registerPackCommand(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  addConfigOptions(
    addPackingOptions(
      program
        .command('pack')
        .description('pack a topology into containers and print the plan (nothing is submitted)')
        .argument('<topology-file>', 'a topology module (.ts, .js) or spec file (.json, .yaml)')
        .argument('[topology-args...]', "words handed to a topology module's default-export function (e.g. parallelism)"),
      'egret.packing',
    ),
  )
    .addOption(formatOption('--format <format>', PLAN_FORMATS, 'table for people, json for tools (and for egret repack --plan)'))
    .action(async (topologyFile: string, topologyArgs: string[], options: PackCommandOptions) => {
      const { packAction } = await import('./pack-action.js');
      await packAction(topologyFile, topologyArgs, options, io, await registry());
    });
}
