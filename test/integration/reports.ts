import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a counting bolt of test/fixtures/topologies/groupings-topology.ts last reported. */
export interface BoltReport {
  readonly component: string;
  readonly task: number;
  readonly pid: number;
  readonly at: number;
  readonly total: number;
  readonly counts: Readonly<Record<string, number>>;
}

/** What a spout of that topology last reported. */
export interface SpoutReport {
  readonly task: number;
  readonly pid: number;
  readonly at: number;
  readonly emitted: number;
}

/** Every report in `dir`: the bolts' by component, the spouts'. */
export function readReports(dir: string): { bolts: Map<string, BoltReport[]>; spouts: SpoutReport[] } {
  const bolts = new Map<string, BoltReport[]>();
  const spouts: SpoutReport[] = [];
  if (!existsSync(dir)) return { bolts, spouts };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const [, component = '', task = ''] = /^(.*)-(\d+)\.json$/.exec(file) ?? [];
    const content = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<BoltReport, 'component' | 'task'> & { emitted?: number };
    if (component === 'spout') spouts.push({ task: Number(task), pid: content.pid, at: content.at, emitted: content.emitted ?? 0 });
    else bolts.set(component, [...(bolts.get(component) ?? []), { ...content, component, task: Number(task) }].sort((a, b) => a.task - b.task));
  }
  return { bolts, spouts };
}

/** The total tuples received by a component's tasks. */
export function totalOf(reports: ReturnType<typeof readReports>, component: string): number {
  return (reports.bolts.get(component) ?? []).reduce((n, r) => n + r.total, 0);
}

/** A task's report as report-file.ts writes it: its content, the task (from the file name), the writer's pid and time. */
export type TaskReport<T> = T & { readonly task: number; readonly pid: number; readonly at: number };

/** The reports of `component`'s tasks in `dir` (test/fixtures/topologies/report-file.ts), by ascending task. */
export function readTaskReports<T>(dir: string, component: string): Array<TaskReport<T>> {
  if (!existsSync(dir)) return [];
  const reports: Array<TaskReport<T>> = [];
  for (const file of readdirSync(dir)) {
    const match = /^(.*)-(\d+)\.json$/.exec(file);
    if (match?.[1] !== component) continue;
    reports.push({ ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as T & { pid: number; at: number }), task: Number(match[2]) });
  }
  return reports.sort((a, b) => a.task - b.task);
}
