import { createPackingPlan, type ContainerPlan, type InstancePlan, type PackingPlan } from '../spi/packing-plan.js';
import { Resource } from '../spi/resource.js';
import { heron } from './generated/egret-proto.js';
import { toSafeNumber } from './long-value.js';
import { ProtoCodecError } from './proto-codec-error.js';

import system = heron.proto.system;

/** The Heron `PackingPlan` message of a plan; RAM and disk stay bytes. */
export function packingPlanToProto(plan: PackingPlan): system.PackingPlan {
  return system.PackingPlan.create({
    id: plan.id,
    containerPlans: plan.containers.map((container) => {
      const proto: system.ContainerPlan.$Properties = {
        id: container.id,
        instancePlans: container.instances.map((instance) => ({
          componentName: instance.component,
          taskId: instance.taskId,
          componentIndex: instance.componentIndex,
          resource: resourceToProto(instance.resources),
        })),
        requiredResource: resourceToProto(container.required),
      };
      if (container.scheduled) proto.scheduledResource = resourceToProto(container.scheduled);
      return proto;
    }),
  });
}

/**
 * The plan a Heron `PackingPlan` message describes, checked by {@link createPackingPlan}. Throws
 * {@link ProtoCodecError} (PROTO_MALFORMED) naming the container or instance for a resource that is not a valid
 * {@link Resource}, or for a plan that breaks a packing-plan invariant.
 */
export function packingPlanFromProto(proto: system.PackingPlan.$Properties): PackingPlan {
  const containers = (proto.containerPlans ?? []).map((container): ContainerPlan => {
    const where = `packing plan '${proto.id}' container ${container.id}`;
    const instances = (container.instancePlans ?? []).map(
      (instance): InstancePlan => ({
        component: instance.componentName,
        taskId: instance.taskId,
        componentIndex: instance.componentIndex,
        resources: resourceFromProto(instance.resource, `${where} instance '${instance.componentName}' task ${instance.taskId}`),
      }),
    );
    const required = resourceFromProto(container.requiredResource, `${where} required resource`);
    const scheduled = container.scheduledResource == null ? undefined : resourceFromProto(container.scheduledResource, `${where} scheduled resource`);
    return scheduled === undefined ? { id: container.id, instances, required } : { id: container.id, instances, required, scheduled };
  });
  try {
    return createPackingPlan(proto.id, containers);
  } catch (error) {
    throw new ProtoCodecError(`packing plan '${proto.id}': ${error instanceof Error ? error.message : String(error)}`, { code: 'PROTO_MALFORMED', cause: error });
  }
}

function resourceToProto(resource: Resource): system.Resource.$Properties {
  return { cpu: resource.cpu, ram: resource.ram, disk: resource.disk };
}

function resourceFromProto(proto: system.Resource.$Properties, where: string): Resource {
  try {
    return new Resource(proto.cpu, toSafeNumber(proto.ram, 'ram'), toSafeNumber(proto.disk, 'disk'));
  } catch (error) {
    if (error instanceof ProtoCodecError) throw error;
    throw new ProtoCodecError(`${where}: ${error instanceof Error ? error.message : String(error)}`, { code: 'PROTO_MALFORMED', cause: error });
  }
}
