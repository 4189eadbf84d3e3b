import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import type { ConfigOptions } from '../common-options.js';
import { formatOption } from '../common-options.js';
import { UsageError } from '../usage-error.js';
import { topologyCommand, topologyRequest } from './topology-command.js';

interface UpdateCommandOptions extends ConfigOptions {
  readonly componentParallelism: string[];
  readonly dryRun?: boolean;
  readonly dryRunFormat: 'table' | 'json';
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses `comp:N` (repeatable, or comma-separated as Heron's CLI accepts) into component → parallelism. */
export function parseParallelism(values: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const item of values.flatMap((v) => v.split(','))) {
    const match = /^([A-Za-z0-9_-]+):(\d+)$/.exec(item.trim());
    if (!match) throw new UsageError(`--component-parallelism '${item}': expected component:N, e.g. count:4`);
    result.set(match[1] ?? '', Number(match[2]));
  }
  if (result.size === 0) throw new UsageError('update needs at least one --component-parallelism component:N');
  return result;
}

/** `egret update <cluster> <topology> --component-parallelism comp:N... [--dry-run]`. */
export function registerUpdateCommand(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  topologyCommand(program, 'update', "change components' parallelism: repack, add or remove containers, move tasks")
    .option('--component-parallelism <component:N>', 'the new parallelism of a component; repeatable', collect, [])
    .option('--dry-run', 'print the new packing plan; change nothing')
    .addOption(formatOption('--dry-run-format <format>', ['table', 'json'], 'format of the --dry-run plan'))
    .action(async (cluster: string, name: string, options: UpdateCommandOptions) => {
      const parallelism = parseParallelism(options.componentParallelism);
      const [{ updateTopology }, { packingPlanToJson }, { renderPackingPlanTable }] = await Promise.all([
        import('../../submit/runtime-update.js'),
        import('../../packing/packing-plan-json.js'),
        import('../../packing/packing-plan-table.js'),
      ]);
      const started = Date.now();
      const result = await updateTopology({
        ...topologyRequest(cluster, name, options, await registry()),
        parallelism,
        dryRun: options.dryRun === true,
        progress: (message) => io.out(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`),
      });
      if (options.dryRun && options.dryRunFormat === 'json') {
        io.out(`${JSON.stringify(packingPlanToJson(result.proposed, result.algorithm), null, 2)}\n`);
      } else if (options.dryRun) {
        io.out(`update of ${name} (dry run: nothing was changed)\n${renderPackingPlanTable(result.proposed, { algorithm: result.algorithm })}`);
      } else {
        io.out(`updated ${name}: ${result.current.containers.length} → ${result.proposed.containers.length} container(s)\n`);
      }
    });
}
