import type { ContainerLimits } from '../../core/packing/container-limits.js';
import type { Resource } from '../../core/spi/resource.js';

/** Cores are compared with the tolerance Resource.fits and WorkingContainer.accepts use, so that plans agree with them. */
const CPU_EPSILON = 1e-9;

/** The dimensions a container fills up in: cpu, RAM, disk and instance count. */
const DIMENSIONS = 4;

/**
 * The weight exponents tried, in order of preference. Exponent 1 weighs each dimension by the demand still to place
 * in it (the dot product of Panigrahy et al., with weights from the remaining items); higher exponents lean ever
 * harder on the dimension that binds most, which suits small or lopsided inputs, where a few large instances
 * decide the count. Each run is O(instances × components) and cheap next to building the plan.
 */
export const WEIGHT_EXPONENTS: readonly number[] = [1, 2, 4, 8];

/** What a container already holds before the fill: the sums of its instances' resources and their number. */
export interface ContainerLoad {
  readonly cpu: number;
  readonly ram: number;
  readonly disk: number;
  readonly size: number;
}

/** A kind of instance to place: every instance of a component asks the same, so one entry stands for `count` of them. */
export interface FillDemand {
  readonly resource: Resource;
  readonly count: number;
}

/** Where one fill put every instance, in placement order. */
export interface FillOutcome {
  /** Per placement, the index into the demands of the instance's kind. */
  readonly kinds: Int32Array;
  /**
   * Per placement, the container: below `loads.length` one of the given containers, from there on the new ones,
   * numbered in the order they were opened.
   */
  readonly positions: Int32Array;
  /** How many new containers the fill opened. */
  readonly opened: number;
  /** The weight exponent that produced it. */
  readonly exponent: number;
}

const EMPTY: ContainerLoad = { cpu: 0, ram: 0, disk: 0, size: 0 };

/**
 * The balanced fill: the given containers first, in order, then new ones, each filled on its own before the next,
 * by repeatedly adding the instance whose demand best matches the container's remaining room. Runs the fill once per
 * exponent of {@link WEIGHT_EXPONENTS} and keeps the one that opens the fewest containers (the earliest on a tie).
 *
 * Pure and deterministic; nothing is placed, the caller replays the outcome. Expects every kind with a count to fit
 * an empty container under `limits` (the callers check that first); otherwise it would open containers forever, so
 * it throws a RangeError instead, as for a bug.
 */
export function balancedFill(loads: readonly ContainerLoad[], demands: readonly FillDemand[], limits: ContainerLimits): FillOutcome {
  let best: FillOutcome | undefined;
  for (const exponent of WEIGHT_EXPONENTS) {
    const outcome = fillWith(loads, demands, limits, exponent);
    if (best === undefined || outcome.opened < best.opened) best = outcome;
  }
  return best as FillOutcome;
}

/** One fill with dimension weights (remaining demand / largest remaining demand) ^ `exponent`. */
export function fillWith(loads: readonly ContainerLoad[], demands: readonly FillDemand[], limits: ContainerLimits, exponent: number): FillOutcome {
  const run = new FillRun(demands, limits, exponent);
  for (let i = 0; i < loads.length && !run.done(); i++) run.fill(i, loads[i] as ContainerLoad);
  let opened = 0;
  while (!run.done()) {
    if (!run.fill(loads.length + opened, EMPTY)) throw new RangeError('balanced fill: an instance fits no empty container; callers must check that first');
    opened++;
  }
  return { kinds: run.kinds, positions: run.positions, opened, exponent };
}

/** The share of `room` that `amount` takes; nothing when there is no room (no instance then fits, or asks any). */
function share(amount: number, room: number): number {
  return room > 0 ? amount / room : 0;
}

/** `base` ^ `exponent` for a whole exponent, by squaring: Math.pow costs more than the rest of a placement. */
function power(base: number, exponent: number): number {
  let result = 1;
  let factor = base;
  for (let e = exponent; e > 0; e >>= 1) {
    if (e & 1) result *= factor;
    factor *= factor;
  }
  return result;
}

/**
 * The state of one fill, kept in typed arrays and plain numbers so that the hot loop (a few comparisons and a dot
 * product per candidate kind) touches no objects: 100 000 instances take a few tens of milliseconds per run.
 */
class FillRun {
  readonly kinds: Int32Array;
  readonly positions: Int32Array;
  private placed = 0;
  private readonly total: number;
  /** Raw demand per kind, for fit tests in the units WorkingContainer uses. */
  private readonly cpuOf: Float64Array;
  private readonly ramOf: Float64Array;
  private readonly diskOf: Float64Array;
  /** Per kind and dimension, the share of an empty container's usable room one instance takes: the space scores live in. */
  private readonly demand: Float64Array;
  private readonly left: Int32Array;
  /** Per dimension, the demand still to place, in containers' worth: where the weights come from. */
  private readonly remaining = new Float64Array(DIMENSIONS);
  private readonly weights = new Float64Array(DIMENSIONS);
  /** The kinds that may still go into the container being filled, in declaration order. */
  private readonly candidates: Int32Array;
  /** The usable room of an empty container and its instance limit, copied out of the limits as plain numbers. */
  private readonly usableCpu: number;
  private readonly usableRam: number;
  private readonly usableDisk: number;
  private readonly maxInstances: number;

  constructor(
    demands: readonly FillDemand[],
    limits: ContainerLimits,
    private readonly exponent: number,
  ) {
    const count = demands.length;
    const { usable, maxInstances } = limits;
    this.usableCpu = usable.cpu;
    this.usableRam = usable.ram;
    this.usableDisk = usable.disk;
    this.maxInstances = maxInstances;
    this.cpuOf = new Float64Array(count);
    this.ramOf = new Float64Array(count);
    this.diskOf = new Float64Array(count);
    this.demand = new Float64Array(count * DIMENSIONS);
    this.left = new Int32Array(count);
    this.candidates = new Int32Array(count);
    let total = 0;
    demands.forEach(({ resource, count: instances }, k) => {
      this.cpuOf[k] = resource.cpu;
      this.ramOf[k] = resource.ram;
      this.diskOf[k] = resource.disk;
      const shares = [share(resource.cpu, usable.cpu), share(resource.ram, usable.ram), share(resource.disk, usable.disk), 1 / maxInstances];
      shares.forEach((value, d) => {
        this.demand[k * DIMENSIONS + d] = value;
        this.remaining[d] = (this.remaining[d] as number) + instances * value;
      });
      this.left[k] = instances;
      total += instances;
    });
    this.total = total;
    this.kinds = new Int32Array(total);
    this.positions = new Int32Array(total);
  }

  done(): boolean {
    return this.placed === this.total;
  }

  /** Fills the container at `position`, which holds `load`, until nothing left fits it; false when nothing went in. */
  fill(position: number, load: ContainerLoad): boolean {
    const { usableCpu, usableRam, usableDisk, maxInstances, cpuOf, ramOf, diskOf, demand, left, candidates, weights } = this;
    const before = this.placed;
    let { cpu, ram, disk, size } = load;
    let count = 0;
    for (let k = 0; k < left.length; k++) if (left[k] !== 0) candidates[count++] = k;
    while (count > 0 && size < maxInstances) {
      this.updateWeights();
      // The container's room per dimension, as shares of an empty container's, weighted.
      const room0 = (weights[0] as number) * share(usableCpu - cpu, usableCpu);
      const room1 = (weights[1] as number) * share(usableRam - ram, usableRam);
      const room2 = (weights[2] as number) * share(usableDisk - disk, usableDisk);
      const room3 = (weights[3] as number) * ((maxInstances - size) / maxInstances);
      let chosen = -1;
      let bestScore = -1;
      let kept = 0;
      for (let c = 0; c < count; c++) {
        const k = candidates[c] as number;
        // A container only fills up, so a kind that does not fit now never will here: it leaves the candidates.
        if (left[k] === 0 || cpu + (cpuOf[k] as number) > usableCpu + CPU_EPSILON || ram + (ramOf[k] as number) > usableRam || disk + (diskOf[k] as number) > usableDisk) continue;
        candidates[kept++] = k;
        const row = k * DIMENSIONS;
        const score = (demand[row] as number) * room0 + (demand[row + 1] as number) * room1 + (demand[row + 2] as number) * room2 + (demand[row + 3] as number) * room3;
        // Strictly greater: on a tie the earlier kind (declaration order) wins, which keeps plans reproducible.
        if (score > bestScore) {
          bestScore = score;
          chosen = k;
        }
      }
      count = kept;
      if (chosen < 0) break;
      cpu += cpuOf[chosen] as number;
      ram += ramOf[chosen] as number;
      disk += diskOf[chosen] as number;
      size++;
      this.take(chosen, position);
    }
    return this.placed > before;
  }

  /** Weights: each dimension's remaining demand over the largest one's, raised to the exponent. */
  private updateWeights(): void {
    const { remaining, weights } = this;
    let largest = 0;
    for (let d = 0; d < DIMENSIONS; d++) largest = Math.max(largest, remaining[d] as number);
    // While anything is left the instance-count dimension is positive, so largest is too.
    for (let d = 0; d < DIMENSIONS; d++) weights[d] = power(Math.max(0, remaining[d] as number) / largest, this.exponent);
  }

  private take(kind: number, position: number): void {
    this.left[kind] = (this.left[kind] as number) - 1;
    for (let d = 0; d < DIMENSIONS; d++) this.remaining[d] = (this.remaining[d] as number) - (this.demand[kind * DIMENSIONS + d] as number);
    this.kinds[this.placed] = kind;
    this.positions[this.placed] = position;
    this.placed++;
  }
}
