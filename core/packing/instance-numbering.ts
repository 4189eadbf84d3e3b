import type { InstancePlan, PackingPlan } from '../spi/packing-plan.js';
import type { Resource } from '../spi/resource.js';

/**
 * Hands out task ids and component indexes to the instances an algorithm places, in placement order. A pack starts
 * from task id 1 and index 0 ({@link InstanceNumbering.fresh}); a repack continues above the current plan
 * ({@link InstanceNumbering.after}), so that ids freed by the repack are not handed out again within it.
 */
export class InstanceNumbering {
  private constructor(
    private nextTaskId: number,
    private readonly nextIndexes: Map<string, number>,
  ) {}

  /** Numbering for a new plan: task ids from 1, each component's indexes from 0. */
  static fresh(): InstanceNumbering {
    return new InstanceNumbering(1, new Map());
  }

  /** Numbering that continues `plan`: task ids above its highest, each component's indexes above its highest. */
  static after(plan: PackingPlan): InstanceNumbering {
    let highest = 0;
    const indexes = new Map<string, number>();
    for (const container of plan.containers) {
      for (const instance of container.instances) {
        highest = Math.max(highest, instance.taskId);
        indexes.set(instance.component, Math.max(indexes.get(instance.component) ?? 0, instance.componentIndex + 1));
      }
    }
    return new InstanceNumbering(highest + 1, indexes);
  }

  /** A new instance of `component` asking `resources`, with the next task id and the component's next index. */
  next(component: string, resources: Resource): InstancePlan {
    const componentIndex = this.nextIndexes.get(component) ?? 0;
    this.nextIndexes.set(component, componentIndex + 1);
    return { component, taskId: this.nextTaskId++, componentIndex, resources };
  }
}
