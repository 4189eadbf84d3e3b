/** One algorithm on one workload: what the packing benchmark measured. Undefined figures were not measurable. */
export interface Measurement {
  readonly instances: number;
  readonly seed: number;
  readonly lowerBound: number;
  readonly key: string;
  readonly name: string;
  readonly containers: number | undefined;
  /** Median milliseconds to pack. */
  readonly packMs: number | undefined;
  /** Median milliseconds to repack the algorithm's own plan by +10 % of every component. */
  readonly repackUpMs: number | undefined;
  /** The same by -10 %. */
  readonly repackDownMs: number | undefined;
  /** Why a figure is missing (an algorithm not registered, a failure). */
  readonly note: string | undefined;
}

/** The figures the benchmark prints as its last line; `null` where an algorithm could not be measured. */
export type PackingFigures = Record<string, number | string | null>;

const COLUMNS = ['instances', 'seed', 'bound', 'algorithm', 'containers', 'vs bound', 'pack ms', 'repack +10% ms', 'repack -10% ms'];
const WIDTHS = [9, 4, 6, 21, 10, 8, 8, 14, 14];

function line(cells: readonly string[]): string {
  return cells.map((cell, i) => (i === 3 ? cell.padEnd(WIDTHS[i] as number) : cell.padStart(WIDTHS[i] as number))).join('  ');
}

const fixed = (value: number | undefined, digits: number) => (value === undefined ? '-' : value.toFixed(digits));

/** The header of the table {@link printRow} writes. */
export const TABLE_HEADER = line(COLUMNS);

/** Writes one measurement as a table row, with its note (if any) after it. */
export function printRow(m: Measurement): void {
  const ratio = m.containers === undefined ? undefined : m.containers / m.lowerBound;
  const cells = [String(m.instances), String(m.seed), String(m.lowerBound), m.name, m.containers === undefined ? '-' : String(m.containers), fixed(ratio, 3), fixed(m.packMs, 1), fixed(m.repackUpMs, 1), fixed(m.repackDownMs, 1)];
  process.stdout.write(`${line(cells)}${m.note ? `   (${m.note})` : ''}\n`);
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round = (value: number | null, digits: number) => (value === null ? null : Number(value.toFixed(digits)));
const sizeLabel = (instances: number) => (instances >= 1000 ? `${instances / 1000}k` : String(instances));

/**
 * The JSON figures: per algorithm and size, the median over workloads of the median pack and repack times
 * (`<key>_<size>_ms`, `<key>_<size>_repack_up_ms`, `..._down_ms`), the mean containers over the lower bound
 * (`<key>_vs_bound`), and balanced against ffd workload by workload: the mean and the largest container ratio.
 */
export function summarise(measurements: readonly Measurement[]): PackingFigures {
  const figures: PackingFigures = { benchmark: 'packing', rr_containers: 'topology.stmgrs = ffd containers' };
  const keys = [...new Set(measurements.map((m) => m.key))];
  const sizes = [...new Set(measurements.map((m) => m.instances))];
  for (const key of keys) {
    for (const size of sizes) {
      const of = measurements.filter((m) => m.key === key && m.instances === size);
      const pick = (f: (m: Measurement) => number | undefined) => of.map(f).filter((v): v is number => v !== undefined);
      figures[`${key}_${sizeLabel(size)}_ms`] = round(median(pick((m) => m.packMs)), 1);
      figures[`${key}_${sizeLabel(size)}_repack_up_ms`] = round(median(pick((m) => m.repackUpMs)), 1);
      figures[`${key}_${sizeLabel(size)}_repack_down_ms`] = round(median(pick((m) => m.repackDownMs)), 1);
    }
    const ratios = measurements.filter((m) => m.key === key && m.containers !== undefined).map((m) => (m.containers as number) / m.lowerBound);
    figures[`${key}_vs_bound`] = ratios.length === 0 ? null : round(ratios.reduce((a, b) => a + b, 0) / ratios.length, 4);
  }
  const versus: number[] = [];
  for (const m of measurements.filter((x) => x.key === 'balanced' && x.containers !== undefined)) {
    const ffd = measurements.find((x) => x.key === 'ffd' && x.instances === m.instances && x.seed === m.seed);
    if (ffd?.containers !== undefined) versus.push((m.containers as number) / ffd.containers);
  }
  figures.balanced_vs_ffd_containers = versus.length === 0 ? null : round(versus.reduce((a, b) => a + b, 0) / versus.length, 4);
  figures.balanced_vs_ffd_worst = versus.length === 0 ? null : round(Math.max(...versus), 4);
  figures.workloads = versus.length;
  return figures;
}

/** Writes the per-size medians and the balanced-against-ffd comparison for people, before the JSON line. */
export function printSummary(measurements: readonly Measurement[], figures: PackingFigures): void {
  const sizes = [...new Set(measurements.map((m) => m.instances))];
  const algorithms = [...new Map(measurements.map((m) => [m.key, m.name])).entries()];
  process.stdout.write('\nmedians over workloads (ms; containers as mean ratio to the lower bound)\n');
  process.stdout.write(`${'algorithm'.padEnd(22)}${sizes.map((s) => `${`pack ${sizeLabel(s)}`.padStart(11)}${`±10% ${sizeLabel(s)}`.padStart(15)}`).join('')}${'vs bound'.padStart(10)}\n`);
  for (const [key, name] of algorithms) {
    const cells = sizes.map((s) => {
      const label = sizeLabel(s);
      const show = (v: number | string | null | undefined) => (typeof v === 'number' ? v.toFixed(1) : '-');
      return `${show(figures[`${key}_${label}_ms`]).padStart(11)}${`${show(figures[`${key}_${label}_repack_up_ms`])}/${show(figures[`${key}_${label}_repack_down_ms`])}`.padStart(15)}`;
    });
    const bound = figures[`${key}_vs_bound`];
    process.stdout.write(`${name.padEnd(22)}${cells.join('')}${(typeof bound === 'number' ? bound.toFixed(3) : '-').padStart(10)}\n`);
  }
  process.stdout.write(
    `\nbalanced / ffd containers over ${figures.workloads} workloads: mean ${figures.balanced_vs_ffd_containers}, worst ${figures.balanced_vs_ffd_worst}\n`,
  );
}
