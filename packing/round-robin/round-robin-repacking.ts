import { inject, injectable } from 'inversify';
import { TopologyConfigKeys } from '../../api/topology-config.js';
import type { ComponentDefinition, TopologyDefinition } from '../../api/topology-definition.js';
import { asRepacking, checkedDeltas } from '../../core/packing/repack-inputs.js';
import { componentCounts, createPackingPlan, type PackingPlan } from '../../core/spi/packing-plan.js';
import type { ParallelismChanges, Repacking } from '../../core/spi/repacking.js';
import { RoundRobinPacking } from './round-robin-packing.js';
import { RoundRobinRepackingConfig } from './round-robin-repacking-config.js';

/**
 * Heron's round-robin repacking: a fresh round-robin pack of the new parallelism over as many containers as keep the
 * plan's instances per container, ceil(new total / (current total / current containers)).
 */
@injectable()
export class RoundRobinRepacking implements Repacking {
  constructor(@inject(RoundRobinRepackingConfig) private readonly config: RoundRobinRepackingConfig) {}

  /**
   * See {@link Repacking.repack}, with one exception the fresh pack implies: instances do not keep their container,
   * task id or index; task ids start again from 1. Throws REPACKING_INVALID_CHANGE for an unknown component or a
   * count below 1, REPACKING_INSUFFICIENT_RESOURCES when a container's instances exceed a `topology.container.*` cap.
   */
  repack(topology: TopologyDefinition, current: PackingPlan, changes: ParallelismChanges): PackingPlan {
    const deltas = checkedDeltas(topology, current, changes);
    const counts = componentCounts(current);
    const total = (of: ReadonlyMap<string, number>) => [...of.values()].reduce((sum, count) => sum + count, 0);
    const newCounts = new Map([...counts].map(([component, count]) => [component, count + (deltas.get(component) ?? 0)]));
    const containers = Math.ceil((total(newCounts) * current.containers.length) / total(counts));
    const resize = <C extends ComponentDefinition>(component: C): C => ({ ...component, parallelism: newCounts.get(component.name) ?? component.parallelism });
    const resized: TopologyDefinition = {
      ...topology,
      spouts: topology.spouts.map(resize),
      bolts: topology.bolts.map(resize),
      config: { ...topology.config, [TopologyConfigKeys.STMGRS]: containers },
    };
    const plan = asRepacking(() => new RoundRobinPacking(this.config).pack(resized));
    return createPackingPlan(current.id, plan.containers);
  }
}
