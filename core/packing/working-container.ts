import { createPackingPlan, type ContainerPlan, type InstancePlan, type PackingPlan } from '../spi/packing-plan.js';
import { Resource } from '../spi/resource.js';
import { CPU_TOLERANCE, requiredOf, type ContainerLimits } from './container-limits.js';

/** One component's instances in a container, by task id; removed ones are skipped by `head`, not spliced out. */
interface ComponentGroup {
  readonly instances: InstancePlan[];
  head: number;
}

/**
 * A container being filled or emptied by a packing or repacking algorithm: mutable, with running sums so that a fit
 * test costs a few comparisons. Turned into an immutable ContainerPlan by {@link toContainerPlan} at the end.
 *
 * Instances of a component are kept in task-id order, which holds as long as every instance added carries a task
 * id above those already there (true of packing, which numbers in placement order, and of repacking, which numbers
 * new instances above the plan's highest).
 */
export class WorkingContainer {
  /** Number of instances. */
  size = 0;
  /** Sums of the instances' resources (cores, bytes, bytes). */
  cpu = 0;
  ram = 0;
  disk = 0;
  private readonly groups = new Map<string, ComponentGroup>();
  /** The container of the input plan while nothing in it has changed, so that it comes out exactly as it went in. */
  private original: ContainerPlan | undefined;

  private constructor(readonly id: number) {}

  /** A new, empty container. */
  static empty(id: number): WorkingContainer {
    return new WorkingContainer(id);
  }

  /** A working copy of a container of an existing plan (its instances must be sorted by task id, as plans are). */
  static of(container: ContainerPlan): WorkingContainer {
    const working = new WorkingContainer(container.id);
    for (const instance of container.instances) working.add(instance);
    working.original = container;
    return working;
  }

  /** The number of instances of `component` here. */
  countOf(component: string): number {
    const group = this.groups.get(component);
    return group ? group.instances.length - group.head : 0;
  }

  /** True when one more instance asking `resource` fits: sums within `limits.usable` and fewer than maxInstances. */
  accepts(resource: Resource, limits: ContainerLimits): boolean {
    const { usable } = limits;
    return (
      this.size < limits.maxInstances &&
      this.cpu + resource.cpu <= usable.cpu + CPU_TOLERANCE &&
      this.ram + resource.ram <= usable.ram &&
      this.disk + resource.disk <= usable.disk
    );
  }

  /** Adds an instance, whose task id must be above every task id of its component here. */
  add(instance: InstancePlan): void {
    let group = this.groups.get(instance.component);
    if (!group) {
      group = { instances: [], head: 0 };
      this.groups.set(instance.component, group);
    }
    group.instances.push(instance);
    this.size++;
    this.cpu += instance.resources.cpu;
    this.ram += instance.resources.ram;
    this.disk += instance.resources.disk;
    this.original = undefined;
  }

  /** Removes and returns the instance of `component` with the lowest task id; undefined when there is none. */
  removeLowest(component: string): InstancePlan | undefined {
    const group = this.groups.get(component);
    if (!group || group.head >= group.instances.length) return undefined;
    const instance = group.instances[group.head++] as InstancePlan;
    this.size--;
    this.cpu -= instance.resources.cpu;
    this.ram -= instance.resources.ram;
    this.disk -= instance.resources.disk;
    this.original = undefined;
    return instance;
  }

  /** The instances here, grouped by component. */
  instances(): InstancePlan[] {
    const all: InstancePlan[] = [];
    for (const group of this.groups.values()) {
      for (let i = group.head; i < group.instances.length; i++) all.push(group.instances[i] as InstancePlan);
    }
    return all;
  }

  /**
   * The container as a plan entry. Unchanged since {@link of}: the original, `required` and `scheduled` included.
   * Otherwise what the capacity-aware packers require of it under `limits` ({@link requiredOf}); a scheduler's grant
   * no longer applies to what was changed, so `scheduled` is left out.
   */
  toContainerPlan(limits: ContainerLimits): ContainerPlan {
    if (this.original) return this.original;
    const instances = this.instances();
    // Summed afresh rather than from the running sums, which removals may have left a rounding error off.
    let cpu = 0;
    let ram = 0;
    let disk = 0;
    for (const { resources } of instances) {
      cpu += resources.cpu;
      ram += resources.ram;
      disk += resources.disk;
    }
    const sum = new Resource(cpu, ram, disk);
    return { id: this.id, instances, required: requiredOf(sum, limits) };
  }
}

/**
 * The plan made of `containers` (in any order), leaving out those that ended empty. Throws InvalidPackingPlanError
 * when the containers break a plan invariant, which would be a bug of the algorithm that filled them.
 */
export function packingPlanOf(id: string, containers: readonly WorkingContainer[], limits: ContainerLimits): PackingPlan {
  return createPackingPlan(
    id,
    containers.filter((container) => container.size > 0).map((container) => container.toContainerPlan(limits)),
  );
}
