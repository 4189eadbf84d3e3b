import { formatBytes } from '../../api/byte-amount.js';

/** Cores are compared with this tolerance so that sums of fractional cores (0.1 + 0.2) still fit 0.3. */
const CPU_EPSILON = 1e-9;

/**
 * An amount of cpu (cores, may be fractional), RAM (bytes) and disk (bytes). Immutable; arithmetic returns
 * new values. Used for what instances ask, what containers require and what schedulers grant.
 */
export class Resource {
  static readonly EMPTY = new Resource(0, 0, 0);

  constructor(
    /** Cores. */
    readonly cpu: number,
    /** Bytes, a whole number. */
    readonly ram: number,
    /** Bytes, a whole number. */
    readonly disk: number,
  ) {
    if (!Number.isFinite(cpu) || !Number.isSafeInteger(ram) || !Number.isSafeInteger(disk)) {
      throw new RangeError(`invalid resource: cpu ${cpu} (a finite number), ram ${ram} and disk ${disk} (whole numbers of bytes)`);
    }
  }

  plus(other: Resource): Resource {
    return new Resource(this.cpu + other.cpu, this.ram + other.ram, this.disk + other.disk);
  }

  /** The exact difference per dimension; a dimension may go negative (see {@link fits}). */
  subtract(other: Resource): Resource {
    return new Resource(this.cpu - other.cpu, this.ram - other.ram, this.disk - other.disk);
  }

  /** Each dimension times `factor` (RAM and disk rounded to whole bytes). */
  multiply(factor: number): Resource {
    return new Resource(this.cpu * factor, Math.round(this.ram * factor), Math.round(this.disk * factor));
  }

  /** The larger of the two in every dimension. */
  max(other: Resource): Resource {
    return new Resource(Math.max(this.cpu, other.cpu), Math.max(this.ram, other.ram), Math.max(this.disk, other.disk));
  }

  /** The smaller of the two in every dimension. */
  min(other: Resource): Resource {
    return new Resource(Math.min(this.cpu, other.cpu), Math.min(this.ram, other.ram), Math.min(this.disk, other.disk));
  }

  /** True when this amount fits within `capacity` in every dimension. */
  fits(capacity: Resource): boolean {
    return this.cpu <= capacity.cpu + CPU_EPSILON && this.ram <= capacity.ram && this.disk <= capacity.disk;
  }

  /** The dimensions in which this amount exceeds `capacity`, e.g. `['ram']`. */
  exceeds(capacity: Resource): Array<'cpu' | 'ram' | 'disk'> {
    const over: Array<'cpu' | 'ram' | 'disk'> = [];
    if (this.cpu > capacity.cpu + CPU_EPSILON) over.push('cpu');
    if (this.ram > capacity.ram) over.push('ram');
    if (this.disk > capacity.disk) over.push('disk');
    return over;
  }

  equals(other: Resource): boolean {
    return Math.abs(this.cpu - other.cpu) <= CPU_EPSILON && this.ram === other.ram && this.disk === other.disk;
  }

  toJSON(): { cpu: number; ram: number; disk: number } {
    return { cpu: this.cpu, ram: this.ram, disk: this.disk };
  }

  /** For people: `cpu 2, ram 3 GiB, disk 1 GiB`. */
  toString(): string {
    return `cpu ${Number(this.cpu.toFixed(3))}, ram ${formatBytes(this.ram)}, disk ${formatBytes(this.disk)}`;
  }
}
