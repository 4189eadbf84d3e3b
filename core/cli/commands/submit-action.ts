import { packingPlanToJson } from '../../packing/packing-plan-json.js';
import { renderPackingPlanTable } from '../../packing/packing-plan-table.js';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import { dryRunSubmit } from '../../submit/dry-run.js';
import type { CliIo } from '../cli-io.js';
import { parseClusterTarget } from '../cluster-target.js';
import type { ConfigOptions } from '../common-options.js';
import { UsageError } from '../usage-error.js';

export interface SubmitCommandOptions extends ConfigOptions {
  readonly dryRun?: boolean;
  readonly dryRunFormat: 'table' | 'json';
}

/** Runs `egret submit` (loaded only when that command runs). */
export async function submitAction(clusterArg: string, topologyFile: string, topologyArgs: string[], options: SubmitCommandOptions, io: CliIo, registry: PluginRegistry): Promise<void> {
  const target = parseClusterTarget(clusterArg);
  if (!options.dryRun) {
    throw new UsageError('submit needs --dry-run in this version of Egret: the local scheduler that runs topologies is not part of it yet');
  }
  const result = await dryRunSubmit({ target, topologyFile, topologyArgs, configPath: options.configPath, properties: options.configProperty, registry });
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
  if (options.dryRunFormat === 'json') {
    io.out(`${JSON.stringify(packingPlanToJson(result.plan, result.algorithm), null, 2)}\n`);
  } else {
    io.out(`topology ${result.topology.name} on ${target.cluster}/${target.role}/${target.environment} (dry run: nothing was submitted)\n`);
    io.out(renderPackingPlanTable(result.plan, { algorithm: result.algorithm }));
  }
}
