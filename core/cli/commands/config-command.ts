import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import { addConfigOptions, formatOption } from '../common-options.js';
import type { ConfigCommandOptions } from './config-action.js';

/**
 * `egret config <cluster>[/<role>[/<env>]]`: the merged configuration of a cluster, each value with the file and
 * line it came from (and what it overrode), then each family's selected plugin with its effective config.
 */
export function registerConfigCommand(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  addConfigOptions(
    program
      .command('config')
      .description('print the merged configuration of a cluster, with where each value came from')
      .argument('<cluster>', '<cluster>[/<role>[/<env>]]')
      .option('--topology <name>', 'a topology name, to expand ${TOPOLOGY}'),
  )
    .addOption(formatOption('--format <format>', ['table', 'json']))
    .action(async (clusterArg: string, options: ConfigCommandOptions) => {
      const { configAction } = await import('./config-action.js');
      await configAction(clusterArg, options, io, await registry());
    });
}
