import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import type { ConfigOptions } from '../common-options.js';
import { UsageError } from '../usage-error.js';
import { topologyCommand, topologyRequest } from './topology-command.js';

/** `egret kill`, `activate`, `deactivate` and `restart [container]`: each checks the state first, then acts. */
export function registerLifecycleCommands(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  topologyCommand(program, 'kill', 'stop every process of a topology and delete its state').action(async (cluster: string, name: string, options: ConfigOptions) => {
    const { killTopology } = await import('../../submit/runtime-manager.js');
    await killTopology(topologyRequest(cluster, name, options, await registry()));
    io.out(`killed ${name}: every process stopped, its state deleted\n`);
  });
  for (const [command, active] of [['activate', true], ['deactivate', false]] as const) {
    topologyCommand(program, command, active ? 'resume the spouts of a deactivated topology' : 'stop the spouts of a topology from emitting (bolts drain what is in flight)').action(
      async (cluster: string, name: string, options: ConfigOptions) => {
        const { setTopologyActive } = await import('../../submit/runtime-manager.js');
        io.out(`${name}: ${await setTopologyActive(topologyRequest(cluster, name, options, await registry()), active)}\n`);
      },
    );
  }
  topologyCommand(program, 'restart', 'restart the processes of one container, or of all')
    .argument('[container]', 'the container id (0 is the topology manager); all when absent')
    .action(async (cluster: string, name: string, container: string | undefined, options: ConfigOptions) => {
      const id = container === undefined ? undefined : Number(container);
      if (id !== undefined && (!Number.isSafeInteger(id) || id < 0)) throw new UsageError(`container '${container}': expected a whole number >= 0`);
      const { restartTopology } = await import('../../submit/runtime-manager.js');
      await restartTopology(topologyRequest(cluster, name, options, await registry()), id);
      io.out(`restarted ${id === undefined ? 'every container' : `container ${id}`} of ${name}\n`);
    });
}
