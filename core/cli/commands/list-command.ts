import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import { parseClusterTarget } from '../cluster-target.js';
import { addConfigOptions, type ConfigOptions, formatOption } from '../common-options.js';

interface ListCommandOptions extends ConfigOptions {
  readonly format: 'table' | 'json';
}

/**
 * `egret list <cluster>[/<role>[/<env>]] [--format table|json]`: every topology running in the cluster, or only
 * those under the role (and environment) named, with live state, containers, instances and who submitted it
 * when. Read from the state alone: fast, and it works while a topology manager is down. An empty cluster prints
 * one line saying so (exit 0); an unknown cluster exits 3.
 */
export function registerListCommand(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  addConfigOptions(
    program
      .command('list')
      .description('list the topologies running in a cluster, with their state, containers and instances')
      .argument('<cluster>', '<cluster>[/<role>[/<env>]]; without a role, every role'),
  )
    .addOption(formatOption('--format <format>', ['table', 'json']))
    .action(async (clusterArg: string, options: ListCommandOptions) => {
      const target = parseClusterTarget(clusterArg);
      const [, role, environment] = clusterArg.split('/');
      const [{ listTopologies }, { renderTopologyList }] = await Promise.all([import('../../submit/topology-status-list.js'), import('./list-output.js')]);
      const list = await listTopologies({
        target,
        ...(role === undefined ? {} : { role }),
        ...(environment === undefined ? {} : { environment }),
        configPath: options.configPath,
        properties: options.configProperty,
        registry: await registry(),
      });
      io.out(options.format === 'json' ? `${JSON.stringify(list, null, 2)}\n` : renderTopologyList(list));
    });
}
