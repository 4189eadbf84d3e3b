import { packingPlanToJson } from '../../packing/packing-plan-json.js';
import { renderPackingPlanTable } from '../../packing/packing-plan-table.js';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import { dryRunSubmit } from '../../submit/dry-run.js';
import type { CliIo } from '../cli-io.js';
import { parseClusterTarget } from '../cluster-target.js';
import type { ConfigOptions } from '../common-options.js';
import { UsageError } from '../usage-error.js';
import type { ClusterTarget } from '../../config/cluster-target.js';

export interface SubmitCommandOptions extends ConfigOptions {
  readonly dryRun?: boolean;
  readonly dryRunFormat: 'table' | 'json';
  readonly deployDeactivated?: boolean;
  readonly wait?: boolean;
  readonly waitTimeout: string;
}

/** Runs `egret submit` (loaded only when that command runs). */
export async function submitAction(clusterArg: string, topologyFile: string, topologyArgs: string[], options: SubmitCommandOptions, io: CliIo, registry: PluginRegistry): Promise<void> {
  const target = parseClusterTarget(clusterArg);
  if (!options.dryRun) return submit(target, topologyFile, topologyArgs, options, io, registry);
  const result = await dryRunSubmit({ target, topologyFile, topologyArgs, configPath: options.configPath, properties: options.configProperty, registry });
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
  if (options.dryRunFormat === 'json') {
    io.out(`${JSON.stringify(packingPlanToJson(result.plan, result.algorithm), null, 2)}\n`);
  } else {
    io.out(`topology ${result.topology.name} on ${target.cluster}/${target.role}/${target.environment} (dry run: nothing was submitted)\n`);
    io.out(renderPackingPlanTable(result.plan, { algorithm: result.algorithm }));
  }
}

async function submit(target: ClusterTarget, topologyFile: string, topologyArgs: string[], options: SubmitCommandOptions, io: CliIo, registry: PluginRegistry): Promise<void> {
  const waitSeconds = Number(options.waitTimeout);
  if (!Number.isFinite(waitSeconds) || waitSeconds <= 0) throw new UsageError(`--wait-timeout '${options.waitTimeout}': expected a number of seconds > 0`);
  const { submitTopology } = await import('../../submit/submitter.js');
  const started = Date.now();
  const say = (message: string) => io.out(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  const result = await submitTopology({
    target,
    topologyFile,
    topologyArgs,
    configPath: options.configPath,
    properties: options.configProperty,
    registry,
    deployDeactivated: options.deployDeactivated === true,
    progress: (_step, message) => say(message),
  });
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
  const name = result.runtime.topologyName;
  say(`submitted ${name} (id ${result.runtime.topologyId}) to ${target.cluster}/${target.role}/${target.environment}${options.deployDeactivated ? ', deactivated' : ''}`);
  if (options.wait) {
    const [{ waitForRunning }, { openStateFor }] = await Promise.all([import('../../submit/wait-for-running.js'), import('../../submit/state-access.js')]);
    const state = await openStateFor({ target, topologyName: name, configPath: options.configPath, properties: options.configProperty, registry });
    try {
      await waitForRunning(state, result.runtime, result.plan, { timeoutMs: waitSeconds * 1000, progress: say });
    } finally {
      await state.close();
    }
  }
  io.out(`see it with: egret status ${target.cluster} ${name}; stop it with: egret kill ${target.cluster} ${name}\n`);
}
