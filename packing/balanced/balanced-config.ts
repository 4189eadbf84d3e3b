import { z } from 'zod';
import { instanceResourceConfigShape } from '../../core/packing/instance-resources.js';

/**
 * The keys the balanced packing and repacking read from the cluster config: the instance-resource defaults. Their
 * container limits are topology keys (`topology.container.*`), read as ffd reads them.
 */
export const balancedConfigSchema = z.object({ ...instanceResourceConfigShape });

/** The balanced plugins' validated config. */
export type BalancedConfig = z.infer<typeof balancedConfigSchema>;

/** DI token of the balanced packing plugin's validated {@link BalancedConfig}. */
export const BalancedPackingConfig: unique symbol = Symbol.for('egret.packing.balanced.config');

/** DI token of the balanced repacking plugin's validated {@link BalancedConfig}. */
export const BalancedRepackingConfig: unique symbol = Symbol.for('egret.repacking.balanced.config');
