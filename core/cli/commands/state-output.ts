import { STATE_NODE_KINDS } from '../../spi/state-manager.js';
import { describeStateNode } from '../../state/state-node-codec.js';
import type { TopologyStateReport, TopologySummary } from '../../state/state-report.js';
import { renderTextTable } from '../text-table.js';

/** The list as a table, or a sentence when there is nothing. */
export function renderTopologyList(cluster: string, summaries: readonly TopologySummary[]): string {
  if (summaries.length === 0) return `no topologies are running in cluster '${cluster}'\n`;
  const rows = summaries.map((s) => [s.topology, s.id ?? '-', s.role ?? '-', s.environment ?? '-', s.submittedBy ?? '-', s.submittedAt ?? (s.problem ? `(${s.problem})` : '-')]);
  return renderTextTable([['TOPOLOGY', 'ID', 'ROLE', 'ENV', 'SUBMITTED BY', 'SUBMITTED AT'], ...rows]);
}

/** Each node under a `kind/topology:` heading, its message as indented JSON; absent and unreadable nodes say so. */
export function renderTopologyState(cluster: string, report: TopologyStateReport): string {
  const lines = [`topology '${report.topology}' in cluster '${cluster}' (${report.running ? 'running' : 'not running: no topology node'})`];
  for (const kind of STATE_NODE_KINDS) {
    const heading = `${describeStateNode(kind, report.topology)}:`;
    const node = report.nodes[kind];
    const problem = report.problems[kind];
    if (problem) lines.push('', `${heading} unreadable: ${problem}`);
    else if (node === null) lines.push('', `${heading} (none)`);
    else lines.push('', heading, JSON.stringify(node, null, 2).replace(/^/gm, '  '));
  }
  return `${lines.join('\n')}\n`;
}
