import { readTopologyConfig } from '../../../api/topology-config.js';
import type { TopologyDefinition } from '../../../api/topology-definition.js';
import type { Config } from '../../config/config.js';
import { containerLimitsOf } from '../../packing/container-limits.js';
import { defaultInstanceResource, readInstanceResourceConfig } from '../../packing/instance-resources.js';
import { packingPlanToJson } from '../../packing/packing-plan-json.js';
import { renderPackingPlanTable } from '../../packing/packing-plan-table.js';
import type { PackingPlan } from '../../spi/packing-plan.js';
import type { Resource } from '../../spi/resource.js';

/** The output formats of `egret pack` and `egret repack`. */
export const PLAN_FORMATS = ['table', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/**
 * The built-in algorithms whose containers have a fixed capacity (containerLimitsOf): their tables measure
 * utilisation against it. Others (round-robin, external plugins) size each container to its instances, so their
 * tables measure against what each container requires.
 */
const CAPACITY_AWARE = new Set(['ffd', 'resource-compliant-rr', 'balanced']);

/**
 * `properties` with `key=algorithm` appended when `--algorithm` was given, so that it overrides the cluster's
 * choice the way `--config-property` does (and an unknown name fails the same way, listing the registered ones).
 */
export function withAlgorithm(properties: readonly string[], key: 'egret.packing' | 'egret.repacking', algorithm: string | undefined): string[] {
  return algorithm === undefined ? [...properties] : [...properties, `${key}=${algorithm}`];
}

/**
 * A plan as `egret pack` and `egret repack` print it: the JSON form (which `--plan` reads back), or the table for
 * people, with utilisation against the container capacity for the capacity-aware algorithms.
 */
export function renderPlan(plan: PackingPlan, algorithm: string, format: PlanFormat, topology: TopologyDefinition, config: Config): string {
  if (format === 'json') return `${JSON.stringify(packingPlanToJson(plan, algorithm), null, 2)}\n`;
  const capacity = CAPACITY_AWARE.has(algorithm) ? capacityOf(topology, config) : undefined;
  return renderPackingPlanTable(plan, capacity ? { algorithm, capacity } : { algorithm });
}

function capacityOf(topology: TopologyDefinition, config: Config): Resource {
  return containerLimitsOf(readTopologyConfig(topology.config), defaultInstanceResource(readInstanceResourceConfig(config.toMap()))).capacity;
}
