/** No key in this cell. Keys are non-negative. */
const EMPTY = -1;

/**
 * A map from non-negative 31-bit integer keys (random bits: a root key's low 30 bits) to non-negative integers (slot
 * numbers), by open addressing with linear probing in two Int32Arrays, deleting by shifting the cells after back
 * into place (no tombstones). It allocates only when it grows, and never shrinks: a JavaScript Map under the same
 * churn (a busy spout adds and removes hundreds of thousands of roots a second) rebuilt its table every few
 * thousand operations, and the tables went to the old generation, which then needed a full collection every second.
 */
export class RootIndex {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 2048) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value of `key`, or -1. */
  get(key: number): number {
    const { keys, mask } = this;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const at = keys[i]!;
      if (at === key) return this.values[i]!;
      if (at === EMPTY) return -1;
    }
  }

  has(key: number): boolean {
    return this.get(key) !== -1;
  }

  /** Sets `key` to `value`, growing the table while it is half full. */
  set(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const { keys, mask } = this;
    let i = key & mask;
    while (keys[i] !== EMPTY && keys[i] !== key) i = (i + 1) & mask;
    if (keys[i] === EMPTY) this.count++;
    keys[i] = key;
    this.values[i] = value;
  }

  /** Removes `key`; false if it was not there. */
  delete(key: number): boolean {
    const { keys, values, mask } = this;
    let hole = key & mask;
    while (keys[hole] !== key) {
      if (keys[hole] === EMPTY) return false;
      hole = (hole + 1) & mask;
    }
    // Move back each later cell of the run whose home is not in (hole, cell]: a lookup must not meet the hole
    // before it.
    for (let cell = (hole + 1) & mask; keys[cell] !== EMPTY; cell = (cell + 1) & mask) {
      const home = keys[cell]! & mask;
      const stays = hole <= cell ? hole < home && home <= cell : hole < home || home <= cell;
      if (stays) continue;
      keys[hole] = keys[cell]!;
      values[hole] = values[cell]!;
      hole = cell;
    }
    keys[hole] = EMPTY;
    this.count--;
    return true;
  }

  /** Removes every key. */
  clear(): void {
    this.keys.fill(EMPTY);
    this.count = 0;
  }

  private grow(): void {
    const { keys, values } = this;
    const capacity = keys.length * 2;
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i]!, values[i]!);
  }
}
