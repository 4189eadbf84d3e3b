import { groupingTypeOf, heron } from '../../core/proto/index.js';
import type { DataPathGrouping, DataPathRouting, DataPathSubscriber } from '../../native/data-path-types.js';
import { type ConfigFallback, topologySettingsOf } from './topology-settings.js';

import api = heron.proto.api;
import system = heron.proto.system;

/** Thrown by {@link buildRouting} for a plan the data path cannot route: the plan is refused, the old routing stays. */
export class RoutingError extends Error {
  override readonly name = 'RoutingError';
}


/**
 * The data path's routing for stream manager `stmgrId` under a physical plan (native/PROTOCOL.md §4): every task with
 * its component and stream manager, the other stream managers as peers, and every declared stream (spouts' then
 * bolts', in declaration order) with its subscribers in the order the bolts declare their inputs: grouping, the
 * positions of fields-grouping keys among the stream's declared fields (in the subscriber's order), and the
 * subscriber's task ids ascending; and the topology's reliability mode, message timeout and drop-on-back-pressure
 * flag (its own config, else `fallback`'s). Throws {@link RoutingError} for an input on a stream nobody declares, a
 * grouping key the stream does not declare, an unknown grouping, a subscriber without tasks, or a bad setting.
 */
export function buildRouting(plan: system.PhysicalPlan.$Properties, stmgrId: string, fallback?: ConfigFallback): DataPathRouting {
  const instances = [...(plan.instances ?? [])].sort((a, b) => a.info.taskId - b.info.taskId);
  const tasksOf = new Map<string, number[]>();
  for (const instance of instances) {
    const list = tasksOf.get(instance.info.componentName) ?? [];
    list.push(instance.info.taskId);
    tasksOf.set(instance.info.componentName, list);
  }
  const topology = plan.topology;
  let settings;
  try {
    settings = topologySettingsOf(topology, fallback);
  } catch (error) {
    throw new RoutingError(error instanceof Error ? error.message : String(error));
  }
  const components = [...(topology.spouts ?? []), ...(topology.bolts ?? [])];
  const declared = new Map<string, readonly string[]>();
  for (const component of components) {
    for (const output of component.outputs ?? []) declared.set(streamKey(component.comp.name, output.stream.id), (output.schema.keys ?? []).map((k) => k.key));
  }
  const subscribers = new Map<string, DataPathSubscriber[]>();
  for (const bolt of topology.bolts ?? []) {
    for (const input of bolt.inputs ?? []) {
      const key = streamKey(input.stream.componentName, input.stream.id);
      const fields = declared.get(key);
      const where = `bolt '${bolt.comp.name}' input ${input.stream.componentName}/${input.stream.id}`;
      if (!fields) throw new RoutingError(`${where}: '${input.stream.componentName}' declares no stream '${input.stream.id}'`);
      const list = subscribers.get(key) ?? [];
      list.push(subscriberOf(bolt.comp.name, input, fields, tasksOf.get(bolt.comp.name) ?? [], where));
      subscribers.set(key, list);
    }
  }
  return {
    stmgrId,
    ...settings,
    tasks: instances.map((i) => ({ taskId: i.info.taskId, component: i.info.componentName, stmgrId: i.stmgrId })),
    peers: (plan.stmgrs ?? []).filter((s) => s.id !== stmgrId).map((s) => ({ stmgrId: s.id, host: s.hostName, port: s.dataPort })),
    streams: components.flatMap((component) =>
      (component.outputs ?? []).map((output) => ({
        component: component.comp.name,
        stream: output.stream.id,
        subscribers: subscribers.get(streamKey(component.comp.name, output.stream.id)) ?? [],
      })),
    ),
  };
}

function subscriberOf(component: string, input: api.InputStream.$Properties, fields: readonly string[], tasks: readonly number[], where: string): DataPathSubscriber {
  const grouping = groupingTypeOf(input.gtype);
  if (grouping === undefined) throw new RoutingError(`${where}: unknown grouping ${String(input.gtype)}`);
  if (tasks.length === 0) throw new RoutingError(`${where}: the plan has no task of '${component}'`);
  let fieldIndices: number[] = [];
  if (grouping === 'fields') {
    const keys = (input.groupingFields?.keys ?? []).map((k) => k.key);
    if (keys.length === 0) throw new RoutingError(`${where}: fields grouping without fields`);
    fieldIndices = keys.map((key) => {
      const index = fields.indexOf(key);
      if (index < 0) throw new RoutingError(`${where}: grouping field '${key}' is not a field of the stream (it declares ${fields.map((f) => `'${f}'`).join(', ') || 'none'})`);
      return index;
    });
  }
  return { component, grouping, fieldIndices, tasks };
}

function streamKey(component: string, stream: string): string {
  return `${component}\u0000${stream}`;
}
