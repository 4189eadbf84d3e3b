import { pathToFileURL } from 'node:url';
import type { ComponentDefinition, TopologyDefinition } from '../../../api/topology-definition.js';
import { isTopologyDefinition, type TopologyModuleContext } from '../../../api/topology-module.js';
import { messageOf } from '../../../core/errors.js';
import { InstanceError } from '../instance-error.js';

/**
 * The topology the package's bundled module builds (its default export, or what its default-export function
 * returns for `context`). Throws INSTANCE_PACKAGE_INVALID saying which step failed: importing, building, or a
 * default export that is no topology.
 */
export async function loadTopologyDefinition(moduleFile: string, context: TopologyModuleContext): Promise<TopologyDefinition> {
  let exported: unknown;
  try {
    exported = ((await import(pathToFileURL(moduleFile).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new InstanceError(`importing the topology module ${moduleFile} failed: ${messageOf(error)}`, { code: 'INSTANCE_PACKAGE_INVALID', cause: error });
  }
  let topology = exported;
  if (typeof exported === 'function') {
    try {
      topology = await (exported as (context: TopologyModuleContext) => unknown)(context);
    } catch (error) {
      throw new InstanceError(`building the topology of ${moduleFile} failed: ${messageOf(error)}`, { code: 'INSTANCE_PACKAGE_INVALID', cause: error });
    }
  }
  if (!isTopologyDefinition(topology)) {
    throw new InstanceError(`the default export of ${moduleFile} is not a topology (nor a function returning one)`, { code: 'INSTANCE_PACKAGE_INVALID' });
  }
  return topology;
}

/** The definition of `component`, with its factory. Throws INSTANCE_COMPONENT_NOT_FOUND if either is missing. */
export function componentDefinition(topology: TopologyDefinition, component: string, args: readonly string[]): ComponentDefinition & { factory: NonNullable<ComponentDefinition['factory']> } {
  const definition = [...topology.spouts, ...topology.bolts].find((c) => c.name === component);
  if (!definition) {
    const built = `the topology module, built with args ${JSON.stringify(args)},`;
    throw new InstanceError(`${built} has no component '${component}' (it has ${[...topology.spouts, ...topology.bolts].map((c) => `'${c.name}'`).join(', ')})`, {
      code: 'INSTANCE_COMPONENT_NOT_FOUND',
    });
  }
  if (!definition.factory) {
    throw new InstanceError(`component '${component}' has no factory (a topology read from a spec file cannot run)`, { code: 'INSTANCE_COMPONENT_NOT_FOUND' });
  }
  return definition as ComponentDefinition & { factory: NonNullable<ComponentDefinition['factory']> };
}
