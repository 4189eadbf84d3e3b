import type { ComponentStatus, ContainerStatus, TopologyStatus } from '../../submit/topology-status-types.js';
import { renderTextTable } from '../text-table.js';
import { byCodeUnit } from '../../code-unit-order.js';

/** How many of the most recent user errors the table shows (JSON has every one the topology manager keeps). */
export const SHOWN_ERRORS = 10;

/** `egret status` for people: a heading, the containers, the components with their figures, the latest user errors. */
export function renderTopologyStatus(status: TopologyStatus): string {
  const running = status.containers.reduce((n, c) => n + c.instances.filter((i) => i.running).length, 0);
  const planned = status.containers.reduce((n, c) => n + c.instances.length, 0);
  const tmanager = status.tmanager ? `${status.tmanager.host}:${status.tmanager.serverPort} (controller ${status.tmanager.host}:${status.tmanager.controllerPort})` : 'not running (no location in state)';
  const submitted = [status.submittedBy ? `by ${status.submittedBy}` : '', status.submittedAt ? `at ${status.submittedAt}` : ''].filter(Boolean).join(' ') || '-';
  const lines = [
    `${status.topology} on ${status.cluster}/${status.role}/${status.environment}: ${status.state}`,
    ...renderTextTable([
      ['id', status.id],
      ['submitted', submitted],
      ['tmanager', tmanager],
      ['instances', `${running} of ${planned} running in ${status.containers.length} container(s)`],
      ['metrics', describeMetrics(status)],
    ])
      .trimEnd()
      .split('\n')
      .map((line) => `  ${line}`),
    '',
    renderContainers(status.containers).trimEnd(),
    '',
    renderComponents(status.components).trimEnd(),
  ];
  const errors = status.exceptions ?? [];
  if (errors.length > 0) {
    // By last time, not in the order the topology manager heard them: an instance that dies publishes its last error
    // together with the ones it had not published yet, and a restarted one publishes its own after.
    const shown = [...errors].sort((a, b) => byCodeUnit(a.lastTime || '', b.lastTime || '')).slice(-SHOWN_ERRORS);
    lines.push('', `user errors (the most recent last; ${shown.length} of ${errors.length}; --format json has them all):`);
    const rows = shown.map((e) => [e.component, e.instance, `x${e.count}`, e.lastTime || '-', firstLine(e.message || e.stacktrace)]);
    lines.push(...renderTextTable([['COMPONENT', 'INSTANCE', 'COUNT', 'LAST', 'ERROR'], ...rows]).trimEnd().split('\n').map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

function describeMetrics(status: TopologyStatus): string {
  const metrics = status.metrics;
  if (!metrics.available) return `unavailable: ${metrics.reason}`;
  const window = metrics.intervalSeconds === null ? 'all time (since the topology manager started)' : `over the last ${metrics.intervalSeconds} s`;
  return `${window}, as of ${metrics.asOf}`;
}

function renderContainers(containers: readonly ContainerStatus[]): string {
  const rows = containers.map((c) => [
    String(c.id),
    c.stmgr?.id ?? '(not registered)',
    c.stmgr?.host ?? '-',
    c.stmgr?.pid === null || c.stmgr === null ? '-' : String(c.stmgr.pid),
    c.instances.map((i) => `${i.component}:${i.taskId}${i.running ? '' : '*'}`).join(' '),
    c.backPressure === null ? '-' : describeBackPressure(c.backPressure),
  ]);
  const note = containers.some((c) => c.instances.some((i) => !i.running)) ? '(component:task; * not running yet)\n' : '';
  return renderTextTable([['CONTAINER', 'STREAM MANAGER', 'HOST', 'PID', 'TASKS', 'BACK PRESSURE'], ...rows]) + note;
}

/** `1.2 s`, or while it lasts `1.2 s (now: container_2_sink_2 since <ISO time>)`. */
function describeBackPressure(backPressure: NonNullable<ContainerStatus['backPressure']>): string {
  const total = formatDuration(backPressure.ms);
  if (!backPressure.active) return total;
  const causes = Object.entries(backPressure.causes).map(([cause, since]) => `${cause} since ${since}`);
  return `${total} (now${causes.length > 0 ? `: ${causes.join(', ')}` : ''})`;
}

function renderComponents(components: readonly ComponentStatus[]): string {
  const rows = components.map((c) => [
    c.name,
    c.kind,
    String(c.parallelism),
    formatCount(c.emitted),
    formatCount(c.executed),
    formatCount(c.acked),
    formatCount(c.failed),
    formatLatency(c.completeLatencyMs),
    formatLatency(c.executeLatencyMs),
    formatLatency(c.processLatencyMs),
    c.backPressureMs === null ? '-' : formatDuration(c.backPressureMs),
    formatCount(c.errors),
  ]);
  return renderTextTable([['COMPONENT', 'KIND', 'PARALLELISM', 'EMITTED', 'EXECUTED', 'ACKED', 'FAILED', 'COMPLETE LAT', 'EXECUTE LAT', 'PROCESS LAT', 'BACK PRESSURE', 'ERRORS'], ...rows]);
}

/** A count, or `-` when unknown. */
export function formatCount(value: number | null): string {
  return value === null ? '-' : String(value);
}

/** A mean latency in milliseconds with about three significant digits, or `-` when there is none. */
export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** A time spent: milliseconds under a second, else seconds with one decimal. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0 s';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
