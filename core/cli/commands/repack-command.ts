import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import { addConfigOptions, formatOption } from '../common-options.js';
import { addPackingOptions } from './pack-command.js';
import { PLAN_FORMATS } from './pack-output.js';
import type { RepackCommandOptions } from './repack-action.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * `egret repack <topology-file> [topology-args...] --plan <file> --parallelism <component:N>...`: applies new
 * parallelism to a plan with a repacking plugin (as `egret update` will) and prints the new plan.
 */
export function registerRepackCommand(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  addConfigOptions(
    addPackingOptions(
      program
        .command('repack')
        .description('apply new parallelism to a packing plan and print the new plan (nothing is submitted)')
        .argument('<topology-file>', 'a topology module (.ts, .js) or spec file (.json, .yaml)')
        .argument('[topology-args...]', "words handed to a topology module's default-export function (e.g. parallelism)")
        .requiredOption('--plan <file>', 'the current plan, in the JSON form of egret pack --format json')
        .requiredOption('--parallelism <component:N>', "a component's new number of instances; repeatable", collect),
      'egret.repacking',
    ),
  )
    .addOption(formatOption('--format <format>', PLAN_FORMATS, 'table for people, json for tools (and for the next --plan)'))
    .addHelpText('after', '\nA --plan or --parallelism that cannot be used (missing file, not a plan of this topology, unknown component, N < 1) is a usage error (exit 2).')
    .action(async (topologyFile: string, topologyArgs: string[], options: RepackCommandOptions) => {
      const { repackAction } = await import('./repack-action.js');
      await repackAction(topologyFile, topologyArgs, options, io, await registry());
    });
}
