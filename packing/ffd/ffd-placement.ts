import type { FfdSortingStrategy } from '../../api/topology-config.js';
import type { ContainerLimits } from '../../core/packing/container-limits.js';
import { FitScan } from '../../core/packing/fit-scan.js';
import type { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import { WorkingContainer } from '../../core/packing/working-container.js';
import type { Resource } from '../../core/spi/resource.js';

/**
 * The components in ffd's order: by RAM then cpu, both descending (`CPU_FIRST`: cpu then RAM), per instance.
 * `resources` is in declaration order and the sort is stable, so ties keep it.
 */
export function ffdOrder(resources: ReadonlyMap<string, Resource>, strategy: FfdSortingStrategy): string[] {
  const [first, second] = strategy === 'CPU_FIRST' ? (['cpu', 'ram'] as const) : (['ram', 'cpu'] as const);
  return [...resources]
    .sort(([, a], [, b]) => b[first] - a[first] || b[second] - a[second])
    .map(([component]) => component);
}

/**
 * Places new instances first fit: for each `[component, count]` in turn, each instance into the first container
 * of `containers` (in array order, which is id order) that accepts it under `limits`, else into a new container
 * appended with the next id from `nextContainerId`. Numbers instances with `numbering` in placement order.
 * Mutates `containers`. Expects every instance to fit an empty container (the caller checks that first).
 */
export function placeFirstFit(
  containers: WorkingContainer[],
  additions: Iterable<readonly [component: string, count: number]>,
  resources: ReadonlyMap<string, Resource>,
  limits: ContainerLimits,
  numbering: InstanceNumbering,
  nextContainerId: number,
): void {
  let nextId = nextContainerId;
  const scan = new FitScan(containers.length);
  for (const [component, count] of additions) {
    const resource = resources.get(component) as Resource;
    const accepts = (position: number) => (containers[position] as WorkingContainer).accepts(resource, limits);
    scan.reset(containers.length);
    for (let placed = 0; placed < count; placed++) {
      let position = scan.firstFrom(0, accepts);
      if (position < 0) {
        containers.push(WorkingContainer.empty(nextId++));
        scan.grow();
        position = containers.length - 1;
      }
      (containers[position] as WorkingContainer).add(numbering.next(component, resource));
    }
  }
}
