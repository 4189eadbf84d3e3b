import { componentsOf, type TopologyDefinition } from '../../api/topology-definition.js';
import { isErrorOf } from '../errors.js';
import { PackingError } from '../spi/packing.js';
import { componentCounts, type PackingPlan } from '../spi/packing-plan.js';
import { RepackingError, type ParallelismChanges } from '../spi/repacking.js';
import type { Resource } from '../spi/resource.js';
import { instanceFitProblem } from './container-limits.js';
import type { InstanceResourceConfig } from './instance-resources.js';
import { packingInputsOf, type PackingInputs } from './packing-inputs.js';

/** What a capacity-aware repack works from: the packing inputs of the topology and the checked changes. */
export interface RepackInputs extends PackingInputs {
  /** The changes with their zero deltas dropped, in the order given. */
  readonly deltas: ReadonlyMap<string, number>;
}

/**
 * Checks a repack request and reads its inputs; called first by every capacity-aware repack. Throws RepackingError:
 * REPACKING_INVALID_CHANGE when `current` holds a component the topology lacks or lacks one it has, when a change
 * names an unknown component or is not a whole number, or when it would leave a component with no instance (also,
 * for want of a code of its own, for a malformed `topology.*` key); REPACKING_INSUFFICIENT_RESOURCES when an
 * instance of a component to grow fits no empty container or asks less than 192 MiB of RAM.
 */
export function repackInputsOf(topology: TopologyDefinition, current: PackingPlan, changes: ParallelismChanges, config: InstanceResourceConfig): RepackInputs {
  const inputs = asRepacking(() => packingInputsOf(topology, config));
  const deltas = checkedDeltas(topology, current, changes);
  for (const [component, delta] of deltas) {
    const problem = delta > 0 ? instanceFitProblem(component, inputs.resources.get(component) as Resource, inputs.limits) : undefined;
    if (problem !== undefined) throw new RepackingError(`cannot repack topology '${topology.name}': ${problem}`, { code: 'REPACKING_INSUFFICIENT_RESOURCES' });
  }
  return { ...inputs, deltas };
}

/**
 * The checked non-zero deltas of `changes` against `current` (see {@link repackInputsOf} for the rules and
 * failures). Shared with repacks that are not capacity-aware, such as round-robin's.
 */
export function checkedDeltas(topology: TopologyDefinition, current: PackingPlan, changes: ParallelismChanges): Map<string, number> {
  const names = componentsOf(topology).map((component) => component.name);
  const counts = componentCounts(current);
  const invalid = (reason: string) => new RepackingError(`cannot repack topology '${topology.name}': ${reason}`, { code: 'REPACKING_INVALID_CHANGE' });
  for (const component of counts.keys()) {
    if (!names.includes(component)) throw invalid(`plan '${current.id}' holds instances of '${component}', which the topology does not have (components: ${names.join(', ')})`);
  }
  for (const component of names) {
    if (!counts.has(component)) throw invalid(`plan '${current.id}' holds no instance of '${component}', a component of the topology`);
  }
  const deltas = new Map<string, number>();
  for (const [component, delta] of changes) {
    const now = counts.get(component);
    if (now === undefined) throw invalid(`component '${component}' is not in the topology (components: ${names.join(', ')})`);
    if (!Number.isSafeInteger(delta)) throw invalid(`the change of '${component}' must be a whole number, got ${delta}`);
    if (now + delta < 1) throw invalid(`'${component}' has ${now} instance${now === 1 ? '' : 's'}; removing ${-delta} would leave none, and every component needs at least one`);
    if (delta !== 0) deltas.set(component, delta);
  }
  return deltas;
}

/**
 * Runs `step` and turns a PackingError it throws into the RepackingError a repack must throw: insufficient
 * resources stay so, an invalid config becomes REPACKING_INVALID_CONFIG; the
 * message says "repack" and the cause keeps the original. Other errors pass through.
 */
export function asRepacking<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!isErrorOf(error, PackingError)) throw error;
    const code = error.code === 'PACKING_INSUFFICIENT_RESOURCES' ? 'REPACKING_INSUFFICIENT_RESOURCES' : 'REPACKING_INVALID_CONFIG';
    throw new RepackingError(error.message.replace(/^cannot pack /, 'cannot repack '), { code, cause: error });
  }
}
