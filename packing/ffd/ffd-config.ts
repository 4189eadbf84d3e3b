import { z } from 'zod';
import { instanceResourceConfigShape } from '../../core/packing/instance-resources.js';

/**
 * The keys the ffd packing and repacking read from the cluster config: the instance-resource defaults. Their
 * container limits and sort order are topology keys (`topology.container.*`, `topology.packing.ffd.sorting.strategy`).
 */
export const ffdConfigSchema = z.object({ ...instanceResourceConfigShape });

/** The ffd plugins' validated config. */
export type FfdConfig = z.infer<typeof ffdConfigSchema>;

/** DI token of the ffd packing plugin's validated {@link FfdConfig}. */
export const FfdPackingConfig: unique symbol = Symbol.for('egret.packing.ffd.config');

/** DI token of the ffd repacking plugin's validated {@link FfdConfig}. */
export const FfdRepackingConfig: unique symbol = Symbol.for('egret.repacking.ffd.config');
