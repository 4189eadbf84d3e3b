import { z } from 'zod';
import { instanceResourceConfigShape } from '../../core/packing/instance-resources.js';

/** The keys the round-robin packing reads from the cluster config: the instance-resource defaults. */
export const roundRobinPackingConfigSchema = z.object({ ...instanceResourceConfigShape });

/** DI token of the validated {@link RoundRobinPackingConfig}. */
export const RoundRobinPackingConfig: unique symbol = Symbol.for('egret.packing.round-robin.config');

/** The round-robin packing's validated config. */
export type RoundRobinPackingConfig = z.infer<typeof roundRobinPackingConfigSchema>;
