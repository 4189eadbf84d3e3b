import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { TopologyCommandRequest } from '../../submit/managed-topology.js';
import { parseClusterTarget } from '../cluster-target.js';
import { addConfigOptions, type ConfigOptions } from '../common-options.js';

/**
 * Defines a command on one running topology: `egret <name> <cluster>[/<role>[/<env>]] <topology> ...`, with the
 * config options. `action` gets the request; extra arguments and options as commander parses them.
 */
export function topologyCommand(program: Command, name: string, description: string): Command {
  return addConfigOptions(
    program
      .command(name)
      .description(description)
      .argument('<cluster>', '<cluster>[/<role>[/<env>]]; role defaults to your user name, env to "default"')
      .argument('<topology>', 'the topology name'),
  );
}

/** The request of a topology command from its parsed arguments. */
export function topologyRequest(clusterArg: string, topologyName: string, options: ConfigOptions, registry: PluginRegistry): TopologyCommandRequest {
  return { target: parseClusterTarget(clusterArg), topologyName, configPath: options.configPath, properties: options.configProperty, registry };
}
