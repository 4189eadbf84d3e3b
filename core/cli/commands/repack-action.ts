import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import { selectedPluginName } from '../../plugins/plugin-selection.js';
import { componentCounts } from '../../spi/packing-plan.js';
import { Repacking } from '../../spi/repacking.js';
import { pluginContainerFor, prepareTopology } from '../../submit/dry-run.js';
import type { CliIo } from '../cli-io.js';
import { parseClusterTarget } from '../cluster-target.js';
import type { ConfigOptions } from '../common-options.js';
import { renderPlan, withAlgorithm, type PlanFormat } from './pack-output.js';
import { parseParallelism, readPlanFile, requestedDeltas } from './repack-arguments.js';

export interface RepackCommandOptions extends ConfigOptions {
  readonly plan: string;
  readonly parallelism: string[];
  readonly algorithm?: string;
  readonly cluster: string;
  readonly format: PlanFormat;
}

/**
 * Runs `egret repack` (loaded only when that command runs): loads the topology as `egret pack` does, reads the
 * current plan, turns the requested parallelism into deltas and prints the repacking plugin's new plan.
 */
export async function repackAction(topologyFile: string, topologyArgs: string[], options: RepackCommandOptions, io: CliIo, registry: PluginRegistry): Promise<void> {
  const target = parseClusterTarget(options.cluster);
  const requested = parseParallelism(options.parallelism);
  const properties = withAlgorithm(options.configProperty, 'egret.repacking', options.algorithm);
  const prepared = await prepareTopology({ target, topologyFile, topologyArgs, configPath: options.configPath, properties });
  for (const warning of prepared.warnings) io.err(`warning: ${warning}\n`);
  const current = readPlanFile(options.plan, prepared.topology).plan;
  const deltas = requestedDeltas(current, requested);
  const container = await pluginContainerFor(prepared, registry, ['repacking']);
  const plan = container.get<Repacking>(Repacking).repack(prepared.topology, current, deltas);
  const algorithm = selectedPluginName(prepared.config, 'repacking').name;
  if (options.format === 'table') {
    const before = componentCounts(current);
    const changes = [...requested].map(([component, count]) => `${component} ${before.get(component) ?? 0} -> ${count}`).join(', ');
    io.out(`repack of ${options.plan} (${current.containers.length} container${current.containers.length === 1 ? '' : 's'}): ${changes}\n`);
  }
  io.out(renderPlan(plan, algorithm, options.format, prepared.topology, prepared.config));
}
