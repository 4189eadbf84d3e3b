import type { TopologyDefinition } from '../../api/topology-definition.js';
import { EgretError } from '../errors.js';
import type { PackingPlan } from './packing-plan.js';

export type PackingErrorCode =
  /** The topology's or cluster's packing keys are contradictory (e.g. more containers than instances). */
  | 'PACKING_INVALID_CONFIG'
  /** An instance, or a container's instances, cannot fit the resources allowed. */
  | 'PACKING_INSUFFICIENT_RESOURCES';

/** Thrown by {@link Packing.pack}; the message says which component or container and why. */
export class PackingError extends EgretError<PackingErrorCode> {}

/** DI token of the {@link Packing} plugin chosen by `egret.packing`. */
export const Packing: unique symbol = Symbol.for('egret.spi.Packing');

/**
 * A packing algorithm: decides how many containers a topology needs and which instances go in each.
 * Chosen by `egret.packing` (built in: round-robin, ffd, resource-compliant-rr, balanced).
 *
 * The plugin gets its validated config by injection; the topology arrives with every call, its `config` already
 * the effective one (cluster defaults, then the topology's own keys, then `--config-property` overrides).
 */
export interface Packing {
  /**
   * Called on submit (also on `--dry-run` and by `egret pack`), once per topology. Pure: the same topology and
   * config give the same plan. Task ids are assigned from 1 in placement order, component indexes from 0.
   * Throws {@link PackingError} when the topology cannot be packed under its constraints.
   */
  pack(topology: TopologyDefinition): PackingPlan;
}
