import type { ContainerLimits } from '../../core/packing/container-limits.js';
import { FitScan } from '../../core/packing/fit-scan.js';
import type { InstanceNumbering } from '../../core/packing/instance-numbering.js';
import type { ScaleDownResult } from '../../core/packing/scale-down.js';
import { WorkingContainer } from '../../core/packing/working-container.js';
import type { Resource } from '../../core/spi/resource.js';

/**
 * resource-compliant-rr's scale-up, after `down` (the scale-down of the same repack): appends `extra` empty
 * containers, then places each new instance (`additions` in order) into the first container that accepts it, in id
 * order from a cursor and wrapping around, and moves the cursor past it. The cursor starts at the container after
 * the last one an instance was removed from (the first container when nothing was removed).
 *
 * Returns every container, the emptied ones already dropped and the unused new ones still there; undefined when an
 * instance fits nowhere (the caller then tries again with one more container). Mutates `down.containers`.
 */
export function placeFromCursor(
  down: ScaleDownResult,
  extra: number,
  additions: readonly (readonly [component: string, count: number])[],
  resources: ReadonlyMap<string, Resource>,
  limits: ContainerLimits,
  numbering: InstanceNumbering,
): WorkingContainer[] | undefined {
  const containers = [...down.containers];
  for (let i = 0; i < extra; i++) containers.push(WorkingContainer.empty(down.nextContainerId + i));
  const lastRemoval = down.removed.at(-1);
  const after = lastRemoval === undefined ? -1 : containers.findIndex((container) => container.id > lastRemoval.containerId);
  let cursor = after < 0 ? 0 : after;
  const scan = new FitScan(containers.length);
  for (const [component, count] of additions) {
    const resource = resources.get(component) as Resource;
    const accepts = (position: number) => (containers[position] as WorkingContainer).accepts(resource, limits);
    scan.reset(containers.length);
    for (let placed = 0; placed < count; placed++) {
      const position = scan.firstFrom(cursor, accepts, true);
      if (position < 0) return undefined;
      (containers[position] as WorkingContainer).add(numbering.next(component, resource));
      cursor = (position + 1) % containers.length;
    }
  }
  return containers;
}
