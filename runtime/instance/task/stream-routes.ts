import type { CustomStreamGrouping } from '../../../api/custom-grouping.js';
import type { TopologyContext } from '../../../api/topology-context.js';
import type { TopologyDefinition } from '../../../api/topology-definition.js';
import { TupleSetWriter } from '../codec/tuple-set-writer.js';
import { InstanceError } from '../instance-error.js';
import type { ValueCodec } from '../serializer/value-codec.js';
import type { PlanView, StreamInfo } from './plan-view.js';
import { OutputStats } from './stream-stats.js';

/** A subscriber with a custom grouping: its grouping object, prepared in this task, and its tasks. */
export interface CustomTarget {
  readonly component: string;
  readonly grouping: CustomStreamGrouping;
  tasks: ReadonlySet<number>;
  taskList: readonly number[];
}

/** Everything an emit on one stream needs, found once per stream rather than per tuple. */
export interface StreamRoute {
  readonly info: StreamInfo;
  /** The frame being built for this stream. */
  readonly writer: TupleSetWriter;
  /** Tasks of the subscribers with direct grouping: the only valid targets of `emitDirect`. */
  directTasks: ReadonlySet<number>;
  /** Subscribers with custom grouping, or null (the common case, tested per tuple). */
  customs: CustomTarget[] | null;
  /** Its counters since the last publish. */
  readonly stats: OutputStats;
}

/**
 * The routes of every stream `component` declares in the plan. Custom groupings come from the topology module (the
 * plan holds no code) and are prepared here, once per stream and subscriber. Throws INSTANCE_COMPONENT_NOT_FOUND for
 * a custom subscription the module has no grouping object for; what `prepare` throws propagates.
 */
export function buildRoutes(plan: PlanView, component: string, taskId: number, definition: TopologyDefinition, codec: ValueCodec, context: TopologyContext): Map<string, StreamRoute> {
  const routes = new Map<string, StreamRoute>();
  for (const info of plan.outputsOf(component)) {
    const route: StreamRoute = { info, writer: new TupleSetWriter(info.stream, component, taskId, codec), directTasks: new Set(), customs: null, stats: new OutputStats() };
    for (const subscription of plan.subscribersOf(component, info.stream)) {
      if (subscription.grouping !== 'custom') continue;
      const grouping = customGroupingOf(definition, subscription.component, component, info.stream);
      grouping.prepare(context, { component, stream: info.stream }, subscription.tasks);
      (route.customs ??= []).push({ component: subscription.component, grouping, tasks: new Set(subscription.tasks), taskList: subscription.tasks });
    }
    routes.set(info.stream, route);
  }
  updateRouteTasks(routes, plan, component, context);
  return routes;
}

/**
 * Follows a new plan's task assignment: direct targets, and the tasks of custom subscribers, whose groupings are
 * prepared again when their tasks changed (the only way they can learn of the change).
 */
export function updateRouteTasks(routes: ReadonlyMap<string, StreamRoute>, plan: PlanView, component: string, context: TopologyContext): void {
  for (const route of routes.values()) {
    const subscriptions = plan.subscribersOf(component, route.info.stream);
    route.directTasks = new Set(subscriptions.filter((s) => s.grouping === 'direct').flatMap((s) => s.tasks));
    for (const target of route.customs ?? []) {
      const tasks = subscriptions.find((s) => s.component === target.component)?.tasks ?? [];
      if (sameTasks(tasks, target.taskList)) continue;
      target.grouping.prepare(context, { component, stream: route.info.stream }, tasks);
      target.tasks = new Set(tasks);
      target.taskList = tasks;
    }
  }
}

function sameTasks(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((task, i) => task === b[i]);
}

function customGroupingOf(definition: TopologyDefinition, subscriber: string, component: string, stream: string): CustomStreamGrouping {
  const input = definition.bolts.find((bolt) => bolt.name === subscriber)?.inputs.find((i) => i.component === component && i.stream === stream);
  const grouping = input?.grouping;
  if (grouping?.type !== 'custom' || !grouping.implementation) {
    throw new InstanceError(`bolt '${subscriber}' subscribes to stream '${stream}' of '${component}' with a custom grouping, but the topology module gives no grouping object for it`, {
      code: 'INSTANCE_COMPONENT_NOT_FOUND',
    });
  }
  return grouping.implementation;
}
