import { CPU_TOLERANCE, type ContainerLimits } from '../../core/packing/container-limits.js';
import type { Resource } from '../../core/spi/resource.js';

/** `count` instances asking `resource` each, dealt one after the other. */
export interface Deal {
  readonly resource: Resource;
  readonly count: number;
}

/**
 * Tells, for a number of containers n, whether dealing instances strictly round-robin (the instance at position p
 * into container p mod n, from one deal to the next without restarting) keeps every container within `limits`.
 *
 * Containers only fill up while the deal goes on, so a deal that fails on its way also fails at its end: checking
 * the final load of each container gives the same answer as placing instance by instance. Container j holds the
 * positions j, j + n, j + 2n...: its load costs about instances / n additions.
 *
 * Trying counts one after the other (as resource-compliant-rr does) would cost one full check per count. But the
 * containers that overflow at n + 1 are, mostly, neighbours of those that overflowed at n (a position moves one
 * container down per extra container), so each check starts just before the last container found overflowing and
 * stops at the first overflow: a failing count usually costs a few containers, and only the count that works costs
 * a full pass.
 */
export class StrictRoundRobin {
  /** Per position, what the instance there asks. */
  private readonly cpu: Float64Array;
  private readonly ram: Float64Array;
  private readonly disk: Float64Array;
  /** The container found overflowing by the last failed check. */
  private lastOverflow = 0;

  constructor(
    deals: readonly Deal[],
    private readonly limits: ContainerLimits,
  ) {
    const instances = deals.reduce((sum, deal) => sum + deal.count, 0);
    this.cpu = new Float64Array(instances);
    this.ram = new Float64Array(instances);
    this.disk = new Float64Array(instances);
    let position = 0;
    for (const { resource, count } of deals) {
      this.cpu.fill(resource.cpu, position, position + count);
      this.ram.fill(resource.ram, position, position + count);
      this.disk.fill(resource.disk, position, position + count);
      position += count;
    }
  }

  /** True when the deal over `containers` containers (1 or more) keeps every one within the limits. */
  fits(containers: number): boolean {
    const instances = this.cpu.length;
    if (Math.ceil(instances / containers) > this.limits.maxInstances) return false;
    // A step back, since the overflow tends to move one container down as the count grows.
    const start = (this.lastOverflow + containers - 1) % containers;
    for (let k = 0; k < containers; k++) {
      const container = (start + k) % containers;
      if (!this.containerFits(container, containers)) {
        this.lastOverflow = container;
        return false;
      }
    }
    return true;
  }

  private containerFits(container: number, containers: number): boolean {
    const { usable } = this.limits;
    let cpu = 0;
    let ram = 0;
    let disk = 0;
    for (let position = container; position < this.cpu.length; position += containers) {
      cpu += this.cpu[position] as number;
      ram += this.ram[position] as number;
      disk += this.disk[position] as number;
    }
    return cpu <= usable.cpu + CPU_TOLERANCE && ram <= usable.ram && disk <= usable.disk;
  }
}
