import type { Command } from 'commander';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import type { ConfigOptions } from '../common-options.js';
import { formatOption } from '../common-options.js';
import { UsageError } from '../usage-error.js';
import { topologyCommand, topologyRequest } from './topology-command.js';

interface StatusCommandOptions extends ConfigOptions {
  readonly format: 'table' | 'json';
  readonly interval?: string;
}

/** Parses `--interval <seconds>`: a whole number of seconds > 0. */
export function parseInterval(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seconds) || seconds <= 0) throw new UsageError(`--interval '${text}': expected a whole number of seconds > 0`);
  return seconds;
}

/**
 * `egret status <cluster>[/<role>[/<env>]] <topology> [--format table|json] [--interval <seconds>]`: what runs and
 * where, and the live figures per component from the topology manager's metrics cache. When the topology manager
 * cannot be reached the rest still prints, the figures are unknown (`-`, null in JSON), a warning on stderr says
 * why, and the exit code stays 0: the topology runs, only its figures are missing (scripts check
 * `metrics.available`). An unknown topology, or one under another role or environment, exits 5.
 */
export function registerStatusCommand(program: Command, io: CliIo, registry: () => Promise<PluginRegistry>): void {
  topologyCommand(program, 'status', 'show where a topology runs and its live figures per component')
    .addOption(formatOption('--format <format>', ['table', 'json']))
    .option('--interval <seconds>', 'figures over the last <seconds> (to the minute) instead of since the topology manager started')
    .addHelpText(
      'after',
      '\nPer component: emitted, executed, acked, failed, mean complete/execute/process latency, time in back pressure\n' +
        'caused by its instances, user errors. When the topology manager cannot be reached, the rest still prints,\n' +
        'the figures show as - (null in JSON, metrics.available false), stderr says why, and the exit code is 0.',
    )
    .action(async (cluster: string, name: string, options: StatusCommandOptions) => {
      const intervalSeconds = parseInterval(options.interval);
      const [{ readTopologyStatus }, { renderTopologyStatus }] = await Promise.all([import('../../submit/topology-status.js'), import('./status-output.js')]);
      const status = await readTopologyStatus(topologyRequest(cluster, name, options, await registry()), intervalSeconds === undefined ? {} : { intervalSeconds });
      io.out(options.format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : renderTopologyStatus(status));
      if (!status.metrics.available) io.err(`egret: warning: the live figures of '${name}' are unavailable: ${status.metrics.reason}\n`);
    });
}
