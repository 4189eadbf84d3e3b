import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import { dryRunSubmit } from '../../submit/dry-run.js';
import type { CliIo } from '../cli-io.js';
import { parseClusterTarget } from '../cluster-target.js';
import type { ConfigOptions } from '../common-options.js';
import { renderPlan, withAlgorithm, type PlanFormat } from './pack-output.js';

export interface PackCommandOptions extends ConfigOptions {
  readonly algorithm?: string;
  readonly cluster: string;
  readonly format: PlanFormat;
}

/** Runs `egret pack` (loaded only when that command runs): the steps of a dry-run submit, with its own output. */
export async function packAction(topologyFile: string, topologyArgs: string[], options: PackCommandOptions, io: CliIo, registry: PluginRegistry): Promise<void> {
  const target = parseClusterTarget(options.cluster);
  const properties = withAlgorithm(options.configProperty, 'egret.packing', options.algorithm);
  const result = await dryRunSubmit({ target, topologyFile, topologyArgs, configPath: options.configPath, properties, registry });
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
  io.out(renderPlan(result.plan, result.algorithm, options.format, result.topology, result.config));
}
