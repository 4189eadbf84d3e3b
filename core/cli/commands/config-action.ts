import type { ConfigValue } from '../../../api/config-value.js';
import { loadClusterConfig } from '../../config/cluster-config-loader.js';
import { configVariables, substituteVariables } from '../../config/config-variables.js';
import { describeSource } from '../../config/config-source.js';
import { loadExternalPlugins } from '../../plugins/external-plugin-loader.js';
import { type PluginReport, reportPlugins, unknownEgretKeys } from '../../plugins/plugin-report.js';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import type { CliIo } from '../cli-io.js';
import { parseClusterTarget } from '../cluster-target.js';
import type { ConfigOptions } from '../common-options.js';
import { renderTextTable } from '../text-table.js';

export interface ConfigCommandOptions extends ConfigOptions {
  readonly topology?: string;
  readonly format: 'table' | 'json';
}

/** Runs `egret config` (loaded only when that command runs). */
export async function configAction(clusterArg: string, options: ConfigCommandOptions, io: CliIo, registry: PluginRegistry): Promise<void> {
  const target = parseClusterTarget(clusterArg);
  const loaded = loadClusterConfig({ configPath: options.configPath, cluster: target.cluster, properties: options.configProperty });
  const config = substituteVariables(loaded, configVariables({ ...target, ...(options.topology === undefined ? {} : { topology: options.topology }) }));
  await loadExternalPlugins(config, registry);
  const plugins = reportPlugins(config, registry);
  const warnings = [...unknownEgretKeys(config, registry), ...plugins.flatMap((p) => (p.problem ? [p.problem] : []))];
  if (options.format === 'json') {
    const values = Object.fromEntries(
      config.entries().map((e) => [e.key, { value: e.value, source: describeSource(e.source), overridden: e.overridden.map((o) => ({ value: o.value, source: describeSource(o.source) })) }]),
    );
    io.out(`${JSON.stringify({ cluster: target.cluster, role: target.role, environment: target.environment, configPath: options.configPath, values, plugins: plugins.map(pluginJson), warnings }, null, 2)}\n`);
  } else {
    io.out(`cluster ${target.cluster}, role ${target.role}, environment ${target.environment} (config path ${options.configPath})\n\n`);
    const rows = config.entries().map((e) => [e.key, show(e.value), describeSource(e.source) + (e.overridden.length > 0 ? ` (overrides ${e.overridden.map((o) => describeSource(o.source)).join(', ')})` : '')]);
    io.out(renderTextTable([['KEY', 'VALUE', 'SOURCE'], ...rows]));
    io.out(`\n${renderPluginTable(plugins)}`);
    for (const warning of warnings) io.err(`warning: ${warning}\n`);
  }
}

/** A value for the table; a plugin key with no default and no value shows as `(unset)`. */
function show(value: ConfigValue | undefined): string {
  if (value === undefined) return '(unset)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function pluginJson(report: PluginReport): object {
  return {
    family: report.family,
    name: report.selection?.name ?? null,
    selectedBy: report.selection?.source ?? null,
    origin: report.plugin ? (report.plugin.origin.kind === 'built-in' ? 'built-in' : report.plugin.origin.resolved) : null,
    config: report.config ?? null,
    problem: report.problem ?? null,
  };
}

function renderPluginTable(plugins: readonly PluginReport[]): string {
  const rows: string[][] = [['FAMILY', 'PLUGIN', 'ORIGIN', 'SELECTED BY']];
  for (const report of plugins) {
    const origin = report.plugin ? (report.plugin.origin.kind === 'built-in' ? 'built-in' : report.plugin.origin.specifier) : 'not available';
    rows.push([report.family, report.selection?.name ?? '(unset)', origin, report.selection?.source ?? '']);
  }
  const sections = plugins
    .filter((report) => report.plugin && report.config && report.config.length > 0)
    .map((report) => `\n${report.family} plugin ${report.selection?.name ?? ''}:\n${renderTextTable([['KEY', 'VALUE', 'SOURCE'], ...(report.config ?? []).map((e) => [e.key, show(e.value), e.source])])}`);
  return renderTextTable(rows) + sections.join('');
}
