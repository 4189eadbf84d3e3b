import type { BoltFactory } from './bolt.js';
import type { ConfigMap } from './config-value.js';
import type { CustomStreamGrouping } from './custom-grouping.js';
import type { SpoutFactory } from './spout.js';

/** The stream a component emits when it does not name one. */
export const DEFAULT_STREAM = 'default';

/**
 * How a subscriber's tasks share a stream:
 * - shuffle: evenly, each tuple to one task;
 * - fields: by the values of `fields`, so equal keys always reach the same task;
 * - all: every task gets every tuple;
 * - global: every tuple to the task with the lowest id;
 * - none: the engine chooses (as shuffle);
 * - direct: the emitter chooses with `emitDirect` (the stream must be declared direct);
 * - custom: a {@link CustomStreamGrouping} in the emitting task chooses.
 */
export type Grouping =
  | { readonly type: 'shuffle' }
  | { readonly type: 'fields'; readonly fields: readonly string[] }
  | { readonly type: 'all' }
  | { readonly type: 'global' }
  | { readonly type: 'none' }
  | { readonly type: 'direct' }
  | { readonly type: 'custom'; readonly implementation?: CustomStreamGrouping };

export type GroupingType = Grouping['type'];

export const GROUPING_TYPES: readonly GroupingType[] = ['shuffle', 'fields', 'all', 'global', 'none', 'direct', 'custom'];

/** A stream a component emits. */
export interface StreamDefinition {
  readonly id: string;
  readonly fields: readonly string[];
  /** Emitters pick the receiving task (`emitDirect`); subscribers must use direct grouping. */
  readonly direct: boolean;
}

/** Resources a component asks for, per task; what is absent comes from the cluster's defaults. */
export interface ResourceRequest {
  /** Cores (may be fractional). */
  readonly cpu?: number;
  /** Bytes. */
  readonly ram?: number;
  /** Bytes. */
  readonly disk?: number;
}

/** A bolt's subscription to one stream of another component. */
export interface InputDefinition {
  readonly component: string;
  readonly stream: string;
  readonly grouping: Grouping;
}

interface ComponentDefinitionBase {
  readonly name: string;
  /** Number of tasks, at least 1. */
  readonly parallelism: number;
  readonly resources: ResourceRequest;
  readonly outputs: readonly StreamDefinition[];
  /** Component-level config, overlaid on the topology's for this component's tasks. */
  readonly config: ConfigMap;
}

export interface SpoutDefinition extends ComponentDefinitionBase {
  readonly kind: 'spout';
  /** Absent for topologies read from a spec file, which can be packed and inspected but not run. */
  readonly factory?: SpoutFactory;
}

export interface BoltDefinition extends ComponentDefinitionBase {
  readonly kind: 'bolt';
  readonly inputs: readonly InputDefinition[];
  /** Absent for topologies read from a spec file. */
  readonly factory?: BoltFactory;
}

export type ComponentDefinition = SpoutDefinition | BoltDefinition;

/**
 * A validated topology: what `TopologyBuilder.build` returns and what a spec file turns into. The value every
 * later stage (packing, submit, the runtime) works from.
 */
export interface TopologyDefinition {
  readonly name: string;
  /** In declaration order. */
  readonly spouts: readonly SpoutDefinition[];
  /** In declaration order. */
  readonly bolts: readonly BoltDefinition[];
  /** Topology config, with Heron's and Storm's key names (`topology.stmgrs`, ...). */
  readonly config: ConfigMap;
}

/** Spouts then bolts, each in declaration order: the order packing calls "declaration order". */
export function componentsOf(topology: TopologyDefinition): readonly ComponentDefinition[] {
  return [...topology.spouts, ...topology.bolts];
}
