import type { ConfigValue } from '../../../api/config-value.js';
import type { GroupingType } from '../../../api/topology-definition.js';
import { configFromProto, groupingTypeOf, heron, ProtoPhysicalPlan } from '../../../core/proto/index.js';

import api = heron.proto.api;

/** A declared stream, as receivers and emitters need it. */
export interface StreamInfo {
  /** The emitting component. */
  readonly component: string;
  readonly stream: string;
  readonly fields: readonly string[];
  readonly fieldIndex: ReadonlyMap<string, number>;
  readonly direct: boolean;
}

/** One component subscribing to a stream. */
export interface Subscription {
  readonly component: string;
  readonly grouping: GroupingType;
  /** Its task ids, ascending. */
  readonly tasks: readonly number[];
}


/** Builds a {@link StreamInfo}. */
export function streamInfo(component: string, stream: string, fields: readonly string[], direct: boolean): StreamInfo {
  return { component, stream, fields, fieldIndex: new Map(fields.map((field, i) => [field, i])), direct };
}

/**
 * What a task needs from a physical plan: the topology's state, which task belongs to which component, and the
 * streams and subscriptions of the logical plan inside it (the plan is authoritative: the stream manager routes by
 * it, whatever the topology module builds today).
 */
export class PlanView {
  readonly topologyId: string;
  readonly topologyName: string;
  readonly state: 'RUNNING' | 'PAUSED' | 'KILLED';
  private readonly tasks = new Map<string, number[]>();
  private readonly instances = new Map<number, { readonly component: string; readonly componentIndex: number }>();
  private readonly components = new Map<string, { readonly kind: 'spout' | 'bolt'; readonly proto: api.Spout.$Properties | api.Bolt.$Properties }>();

  private constructor(readonly plan: heron.proto.system.PhysicalPlan) {
    const topology = plan.topology;
    this.topologyId = topology.id;
    this.topologyName = topology.name;
    this.state = topology.state === api.TopologyState.PAUSED ? 'PAUSED' : topology.state === api.TopologyState.KILLED ? 'KILLED' : 'RUNNING';
    for (const spout of topology.spouts ?? []) this.components.set(spout.comp.name, { kind: 'spout', proto: spout });
    for (const bolt of topology.bolts ?? []) this.components.set(bolt.comp.name, { kind: 'bolt', proto: bolt });
    for (const instance of plan.instances ?? []) {
      const { taskId, componentName, componentIndex } = instance.info;
      this.instances.set(taskId, { component: componentName, componentIndex });
      const list = this.tasks.get(componentName) ?? [];
      list.push(taskId);
      this.tasks.set(componentName, list);
    }
    for (const list of this.tasks.values()) list.sort((a, b) => a - b);
  }

  /** Decodes an encoded PhysicalPlan; throws protobufjs's error for bytes that are not one. */
  static decode(bytes: Uint8Array): PlanView {
    return new PlanView(ProtoPhysicalPlan.decode(bytes));
  }

  /** The task ids of a component, ascending; empty for an unknown one. */
  tasksOf(component: string): readonly number[] {
    return this.tasks.get(component) ?? [];
  }

  instanceOf(taskId: number): { readonly component: string; readonly componentIndex: number } | undefined {
    return this.instances.get(taskId);
  }

  kindOf(component: string): 'spout' | 'bolt' | undefined {
    return this.components.get(component)?.kind;
  }

  /** The streams a component declares, in order. */
  outputsOf(component: string): StreamInfo[] {
    const outputs = this.components.get(component)?.proto.outputs ?? [];
    return outputs.map((output) => streamInfo(component, output.stream.id, (output.schema.keys ?? []).map((key) => key.key), output.direct === true));
  }

  /** The components subscribing to a stream, with their groupings and tasks. */
  subscribersOf(component: string, stream: string): Subscription[] {
    const subscriptions: Subscription[] = [];
    for (const [name, { kind, proto }] of this.components) {
      if (kind !== 'bolt') continue;
      for (const input of (proto as api.Bolt.$Properties).inputs ?? []) {
        if (input.stream.componentName !== component || input.stream.id !== stream) continue;
        subscriptions.push({ component: name, grouping: groupingTypeOf(input.gtype) ?? 'shuffle', tasks: this.tasksOf(name) });
      }
    }
    return subscriptions;
  }

  /** The streams a bolt subscribes to (an unknown source stream is left out: nothing can arrive on it). */
  inputsOf(component: string): StreamInfo[] {
    const entry = this.components.get(component);
    if (entry?.kind !== 'bolt') return [];
    return ((entry.proto as api.Bolt.$Properties).inputs ?? []).flatMap((input) => this.outputsOf(input.stream.componentName).filter((s) => s.stream === input.stream.id));
  }

  /** The component's own config from the plan (parallelism and resources included, under Heron's keys). */
  componentConfig(component: string): Record<string, ConfigValue> {
    const comp = this.components.get(component)?.proto.comp;
    return comp ? configFromProto(comp.config, `component '${component}'`) : {};
  }
}
