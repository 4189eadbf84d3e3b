import type { ConfigMap } from './config-value.js';

/** What a spout or bolt task knows about itself and the topology, given to `open` and `prepare`. */
export interface TopologyContext {
  readonly topologyName: string;
  readonly topologyId: string;
  /** This task's global id (unique in the topology, from 1). */
  readonly taskId: number;
  /** This task's component. */
  readonly componentName: string;
  /** This task's index among its component's tasks, from 0. */
  readonly componentIndex: number;
  /** The effective configuration of this component: topology config overlaid with the component's own. */
  readonly config: ConfigMap;
  /** The task ids of a component, ascending; empty for an unknown component. */
  componentTasks(component: string): readonly number[];
  /** The declared fields of one of this component's output streams; throws for an undeclared stream. */
  outputFields(stream?: string): readonly string[];
}
