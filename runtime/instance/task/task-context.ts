import type { ConfigMap } from '../../../api/config-value.js';
import type { TopologyContext } from '../../../api/topology-context.js';
import { DEFAULT_STREAM } from '../../../api/topology-definition.js';
import type { PlanView } from './plan-view.js';

/**
 * The {@link TopologyContext} of a running task. Task lists follow the latest physical plan; declared fields come
 * from the plan's logical topology.
 */
export class TaskContext implements TopologyContext {
  constructor(
    private plan: PlanView,
    readonly taskId: number,
    readonly componentName: string,
    readonly componentIndex: number,
    readonly config: ConfigMap,
  ) {}

  get topologyName(): string {
    return this.plan.topologyName;
  }

  get topologyId(): string {
    return this.plan.topologyId;
  }

  /** Called with every new physical plan. */
  update(plan: PlanView): void {
    this.plan = plan;
  }

  componentTasks(component: string): readonly number[] {
    return [...this.plan.tasksOf(component)];
  }

  outputFields(stream: string = DEFAULT_STREAM): readonly string[] {
    const output = this.plan.outputsOf(this.componentName).find((s) => s.stream === stream);
    if (!output) throw new Error(`component '${this.componentName}' declares no stream '${stream}'`);
    return [...output.fields];
  }
}
