import { z } from 'zod';
import { GiB } from '../../api/byte-amount.js';
import { byteAmountSchema } from '../config/config-schema.js';
import { componentsOf, type ComponentDefinition, type TopologyDefinition } from '../../api/topology-definition.js';
import { PackingError } from '../spi/packing.js';
import { Resource } from '../spi/resource.js';

/** The cluster keys giving an instance's resources when its component does not state them. */
export const InstanceResourceKeys = {
  CPU: 'egret.resources.instance.cpu',
  RAM: 'egret.resources.instance.ram',
  DISK: 'egret.resources.instance.disk',
} as const;

const CPU_EXPECTATION = 'expected a number of cores > 0';

/**
 * The zod shape of the instance-resource keys, with their defaults (1 core, 1 GiB RAM, 1 GiB disk). Every packing
 * plugin spreads it into its config schema (`z.object({ ...instanceResourceConfigShape })`) so that the keys mean
 * the same whichever algorithm is chosen.
 */
export const instanceResourceConfigShape = {
  [InstanceResourceKeys.CPU]: z.number({ error: CPU_EXPECTATION }).positive({ error: CPU_EXPECTATION }).default(1),
  [InstanceResourceKeys.RAM]: byteAmountSchema.default(GiB),
  [InstanceResourceKeys.DISK]: byteAmountSchema.default(GiB),
};

const instanceResourceConfigSchema = z.object(instanceResourceConfigShape);

/** The validated instance-resource keys: cpu in cores, RAM and disk in bytes. */
export type InstanceResourceConfig = z.infer<typeof instanceResourceConfigSchema>;

/**
 * Reads the instance-resource keys out of a whole config's values (other keys are ignored, absent ones take their
 * defaults), for code outside a packing plugin, such as `egret pack` measuring utilisation against capacity.
 * Throws a ZodError for a bad value: the plugin loader has validated these keys first, with file and line.
 */
export function readInstanceResourceConfig(values: Readonly<Record<string, unknown>>): InstanceResourceConfig {
  return instanceResourceConfigSchema.parse(values);
}

/** The resources of an instance whose component states none. */
export function defaultInstanceResource(config: InstanceResourceConfig): Resource {
  return new Resource(config[InstanceResourceKeys.CPU], config[InstanceResourceKeys.RAM], config[InstanceResourceKeys.DISK]);
}

/**
 * The per-instance resources of every component of `topology`, keyed by component name in declaration order:
 * each dimension the component states, else the default from `config`.
 * Throws PACKING_INVALID_CONFIG {@link PackingError} naming the component when a stated value is unusable
 * (cpu not > 0, RAM or disk not a whole number of bytes >= 0); the builder checks these too, but a topology
 * can also come from a spec file.
 */
export function instanceResourcesOf(topology: TopologyDefinition, config: InstanceResourceConfig): Map<string, Resource> {
  const defaults = defaultInstanceResource(config);
  return new Map(componentsOf(topology).map((component) => [component.name, instanceResourceOf(component, defaults)]));
}

function instanceResourceOf(component: ComponentDefinition, defaults: Resource): Resource {
  const { cpu = defaults.cpu, ram = defaults.ram, disk = defaults.disk } = component.resources;
  const problems: string[] = [];
  if (!(Number.isFinite(cpu) && cpu > 0)) problems.push(`cpu ${cpu} (expected a number of cores > 0)`);
  if (!(Number.isSafeInteger(ram) && ram >= 0)) problems.push(`ram ${ram} (expected a whole number of bytes >= 0)`);
  if (!(Number.isSafeInteger(disk) && disk >= 0)) problems.push(`disk ${disk} (expected a whole number of bytes >= 0)`);
  if (problems.length > 0) {
    throw new PackingError(`component '${component.name}' asks for unusable resources: ${problems.join(', ')}`, { code: 'PACKING_INVALID_CONFIG' });
  }
  return new Resource(cpu, ram, disk);
}
