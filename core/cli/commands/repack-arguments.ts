import { readFileSync } from 'node:fs';
import { componentsOf, type TopologyDefinition } from '../../../api/topology-definition.js';
import { messageOf } from '../../errors.js';
import { PackingPlanJsonError, packingPlanFromJson } from '../../packing/packing-plan-json.js';
import { componentCounts, type PackingPlan } from '../../spi/packing-plan.js';
import { parallelismDeltas, RepackingError } from '../../spi/repacking.js';
import { UsageError } from '../usage-error.js';

/**
 * Parses the `--parallelism component:N` arguments into component → N, in the order given. Throws
 * {@link UsageError} for an argument that is not `component:N` with N a whole number, or a component given twice.
 */
export function parseParallelism(args: readonly string[]): Map<string, number> {
  const requested = new Map<string, number>();
  for (const arg of args) {
    const colon = arg.lastIndexOf(':');
    const component = arg.slice(0, colon);
    const count = arg.slice(colon + 1);
    if (colon <= 0 || !/^-?\d+$/.test(count)) throw new UsageError(`--parallelism '${arg}': expected <component>:<N>, such as 'split:4'`);
    if (requested.has(component)) throw new UsageError(`--parallelism: '${component}' is given twice`);
    requested.set(component, Number(count));
  }
  return requested;
}

/**
 * Reads the `--plan` file (the JSON form `egret pack --format json` prints) as the plan of `topology`. Throws
 * {@link UsageError} naming the file when it is missing or unreadable, not JSON, not a packing plan, or the plan of
 * other components than the topology's.
 */
export function readPlanFile(file: string, topology: TopologyDefinition): { plan: PackingPlan; algorithm: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : messageOf(error);
    throw new UsageError(`--plan ${file}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--plan ${file}: invalid JSON: ${messageOf(error)}`);
  }
  let read: { plan: PackingPlan; algorithm: string };
  try {
    read = packingPlanFromJson(json, `--plan ${file}`, topology.name);
  } catch (error) {
    // One line, as every CLI failure: the problems (each naming its path) joined rather than listed.
    if (error instanceof PackingPlanJsonError) throw new UsageError(`--plan ${file}: not a packing plan: ${error.problems.join('; ')}`);
    throw error;
  }
  const inPlan = [...componentCounts(read.plan).keys()];
  const inTopology = componentsOf(topology).map((component) => component.name);
  const strangers = inPlan.filter((component) => !inTopology.includes(component));
  const missing = inTopology.filter((component) => !inPlan.includes(component));
  if (strangers.length > 0 || missing.length > 0) {
    const faults = [
      ...(strangers.length > 0 ? [`it has instances of ${quoted(strangers)}, which the topology does not have`] : []),
      ...(missing.length > 0 ? [`it has no instance of ${quoted(missing)}`] : []),
    ];
    throw new UsageError(`--plan ${file} is not a plan of topology '${topology.name}': ${faults.join('; ')}`);
  }
  return read;
}

/**
 * The deltas that take `plan` to the `requested` parallelism. Throws {@link UsageError} for a component the
 * topology does not have, or a count below 1.
 */
export function requestedDeltas(plan: PackingPlan, requested: ReadonlyMap<string, number>): Map<string, number> {
  try {
    return parallelismDeltas(componentCounts(plan), requested);
  } catch (error) {
    if (error instanceof RepackingError && error.code === 'REPACKING_INVALID_CHANGE') throw new UsageError(`--parallelism: ${error.message}`);
    throw error;
  }
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}
