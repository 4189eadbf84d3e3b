import { z } from 'zod';
import { instanceResourceConfigShape } from '../../core/packing/instance-resources.js';

/**
 * The keys the resource-compliant-rr packing and repacking read from the cluster config: the instance-resource
 * defaults. Their container count and limits are topology keys (`topology.stmgrs`, `topology.container.*`).
 */
export const resourceCompliantRrConfigSchema = z.object({ ...instanceResourceConfigShape });

/** The resource-compliant-rr plugins' validated config. */
export type ResourceCompliantRrConfig = z.infer<typeof resourceCompliantRrConfigSchema>;

/** DI token of the resource-compliant-rr packing plugin's validated {@link ResourceCompliantRrConfig}. */
export const ResourceCompliantRrPackingConfig: unique symbol = Symbol.for('egret.packing.resource-compliant-rr.config');

/** DI token of the resource-compliant-rr repacking plugin's validated {@link ResourceCompliantRrConfig}. */
export const ResourceCompliantRrRepackingConfig: unique symbol = Symbol.for('egret.repacking.resource-compliant-rr.config');
