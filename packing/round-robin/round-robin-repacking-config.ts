import type { z } from 'zod';
import { roundRobinPackingConfigSchema } from './round-robin-packing-config.js';

/** The keys the round-robin repacking reads: the same as the round-robin packing's, since it packs afresh. */
export const roundRobinRepackingConfigSchema = roundRobinPackingConfigSchema;

/** DI token of the validated {@link RoundRobinRepackingConfig}. */
export const RoundRobinRepackingConfig: unique symbol = Symbol.for('egret.repacking.round-robin.config');

/** The round-robin repacking's validated config. */
export type RoundRobinRepackingConfig = z.infer<typeof roundRobinRepackingConfigSchema>;
