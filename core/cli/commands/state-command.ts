import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import { addConfigOptions, formatOption } from '../common-options.js';
import type { StateCommandOptions } from './state-action.js';

/**
 * `egret state <cluster>[/<role>[/<env>]] [topology]`: the topologies running in a cluster's state manager, or
 * everything the state tree holds for one topology, decoded from its protobuf messages.
 */
export function registerStateCommand(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  addConfigOptions(
    program
      .command('state')
      .description("list the topologies in a cluster's state manager, or print every state node of one topology, decoded")
      .argument('<cluster>', '<cluster>[/<role>[/<env>]]')
      .argument('[topology]', 'a topology name: print its nodes instead of the list'),
  )
    .addOption(formatOption('--format <format>', ['text', 'json']))
    .action(async (clusterArg: string, topology: string | undefined, options: StateCommandOptions) => {
      const { stateAction } = await import('./state-action.js');
      await stateAction(clusterArg, topology, options, io, await registry());
    });
}
