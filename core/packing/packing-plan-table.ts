import { formatBytes } from '../../api/byte-amount.js';
import { instanceResources, instancesOf, totalRequired, type ContainerPlan, type PackingPlan } from '../spi/packing-plan.js';
import { Resource } from '../spi/resource.js';

/** How {@link renderPackingPlanTable} describes a plan. */
export interface PackingPlanTableOptions {
  /** The packing plugin that made the plan, for the heading. */
  readonly algorithm: string;
  /** A container's size on the cluster; when given, utilisation is measured against it instead of `required`. */
  readonly capacity?: Resource;
}

type Align = 'left' | 'right';
const COLUMNS: ReadonlyArray<readonly [string, Align]> = [
  ['container', 'right'],
  ['instances', 'right'],
  ['cpu', 'right'],
  ['ram', 'right'],
  ['disk', 'right'],
  ['cpu%', 'right'],
  ['ram%', 'right'],
  ['disk%', 'right'],
  ['tasks', 'left'],
];

/**
 * The plan as a plain-text table for people (`egret submit --dry-run`, `egret pack`): a heading, one row per
 * container (id, instance count, required cpu/ram/disk, utilisation per dimension, the tasks as `spout#1,3 bolt#5`),
 * then a totals row. Utilisation is the instances' resources ÷ the container's required resources, or ÷
 * `options.capacity` when given. No colours, no trailing spaces; ends with a newline.
 */
export function renderPackingPlanTable(plan: PackingPlan, options: PackingPlanTableOptions): string {
  const denominator = (container: ContainerPlan) => options.capacity ?? container.required;
  const rows = plan.containers.map((c) => [
    String(c.id),
    String(c.instances.length),
    ...amounts(c.required),
    ...percentages(instanceResources(c), denominator(c)),
    compactTasks(c),
  ]);
  const used = plan.containers.reduce((sum, c) => sum.plus(instanceResources(c)), Resource.EMPTY);
  const available = options.capacity ? options.capacity.multiply(plan.containers.length) : totalRequired(plan);
  rows.push(['total', String(instancesOf(plan).length), ...amounts(totalRequired(plan)), ...percentages(used, available), '']);

  const measure = options.capacity ? `a container's capacity (${options.capacity.toString()})` : 'its required resources';
  const heading = [
    `packing plan '${plan.id}' (${options.algorithm}): ${plural(plan.containers.length, 'container')}, ${plural(instancesOf(plan).length, 'instance')}`,
    `cpu, ram, disk: required per container (instances + padding); %: the instances' share of ${measure}`,
  ];
  return `${[...heading, '', ...alignColumns([COLUMNS.map(([name]) => name), ...rows])].join('\n')}\n`;
}

function amounts(resource: Resource): string[] {
  return [formatCpu(resource.cpu), formatBytes(resource.ram), formatBytes(resource.disk)];
}

function percentages(part: Resource, whole: Resource): string[] {
  return [percent(part.cpu, whole.cpu), percent(part.ram, whole.ram), percent(part.disk, whole.disk)];
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '-';
}

function formatCpu(cores: number): string {
  return String(Number(cores.toFixed(2)));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `spout#1,3 bolt#5-7`: per component in order of its first task, its task ids with consecutive runs as ranges. */
function compactTasks(container: ContainerPlan): string {
  const byComponent = new Map<string, number[]>();
  for (const instance of container.instances) {
    const ids = byComponent.get(instance.component) ?? [];
    ids.push(instance.taskId);
    byComponent.set(instance.component, ids);
  }
  return [...byComponent].map(([component, ids]) => `${component}#${ranges(ids.sort((a, b) => a - b))}`).join(' ');
}

function ranges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function alignColumns(rows: readonly string[][]): string[] {
  const widths = COLUMNS.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, col) => ((COLUMNS[col]?.[1] ?? 'left') === 'right' ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
