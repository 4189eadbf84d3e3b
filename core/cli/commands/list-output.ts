import type { TopologyList } from '../../submit/topology-status-types.js';
import { renderTextTable } from '../text-table.js';

/** Where the list looked: `cluster 'local'`, `cluster 'local', role 'alice'`, or with the environment too. */
export function describeListScope(list: Pick<TopologyList, 'cluster' | 'role' | 'environment'>): string {
  return [`cluster '${list.cluster}'`, list.role === null ? '' : `role '${list.role}'`, list.environment === null ? '' : `environment '${list.environment}'`].filter(Boolean).join(', ');
}

/** `egret list` for people: one row per topology, or a sentence when there is none. */
export function renderTopologyList(list: TopologyList): string {
  if (list.topologies.length === 0) return `no topologies are running in ${describeListScope(list)}\n`;
  const rows = list.topologies.map((t) => [
    t.topology,
    t.role ?? '-',
    t.environment ?? '-',
    t.state ?? '-',
    t.containers === null ? '-' : String(t.containers),
    t.instances === null ? '-' : String(t.instances),
    t.instancesRunning === null ? '-' : String(t.instancesRunning),
    t.submittedBy ?? '-',
    t.submittedAt ?? '-',
    t.problem ?? '',
  ]);
  const header = ['TOPOLOGY', 'ROLE', 'ENV', 'STATE', 'CONTAINERS', 'INSTANCES', 'RUNNING', 'SUBMITTED BY', 'SUBMITTED AT'];
  const withProblems = list.topologies.some((t) => t.problem !== undefined);
  return renderTextTable([withProblems ? [...header, 'PROBLEM'] : header, ...rows.map((row) => (withProblems ? row : row.slice(0, -1)))]);
}
