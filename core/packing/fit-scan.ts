/**
 * Finds the first container, from a starting position and in position order, that accepts an instance, for the
 * instances of one component at a time, skipping every container that already refused one of them.
 *
 * Why skipping is exact: instances of one component ask the same, and while they are being placed containers only
 * fill up, so a container that refused one refuses every later one. A first-fit search then costs, per component,
 * one refusal per container plus one acceptance per instance (with path-compressed skip links), instead of a scan
 * of every container for every instance, which takes minutes at 100 000 instances.
 */
export class FitScan {
  /** skip[i] === i: container i has not refused; otherwise a link towards the next one that has not. */
  private readonly skip: number[] = [];

  constructor(size: number) {
    this.reset(size);
  }

  /** The number of containers scanned over. */
  get size(): number {
    return this.skip.length;
  }

  /** Forgets every refusal and sets the number of containers: call before each component's instances. */
  reset(size: number): void {
    this.skip.length = size;
    for (let i = 0; i < size; i++) this.skip[i] = i;
  }

  /** Adds a container at the end (at position `size`). */
  grow(): void {
    this.skip.push(this.skip.length);
  }

  /**
   * The first position, from `start` up to the end and then (when `wrap`) from 0 up to `start`, for which
   * `accepts` is true, asking each position at most once per component; -1 when none accepts.
   */
  firstFrom(start: number, accepts: (position: number) => boolean, wrap = false): number {
    const found = this.search(start, this.skip.length, accepts);
    return found >= 0 || !wrap ? found : this.search(0, start, accepts);
  }

  private search(from: number, end: number, accepts: (position: number) => boolean): number {
    for (let i = this.find(from); i < end; i = this.find(i)) {
      if (accepts(i)) return i;
      this.skip[i] = i + 1;
    }
    return -1;
  }

  /** The first position >= `i` that has not refused, or `size`. */
  private find(i: number): number {
    const skip = this.skip;
    let root = i;
    while (root < skip.length && skip[root] !== root) root = skip[root] as number;
    // Point every link on the way straight at the answer, so that later searches jump over refusals at once.
    while (i < root) {
      const next = skip[i] as number;
      skip[i] = root;
      i = next;
    }
    return root;
  }
}
