import type { OutputStats } from './stream-stats.js';

/** No slot: the end of the emit-order list. */
const NONE = -1;

/**
 * The pending roots' records, one slot each, in arrays reused from root to root, and linked in emit order (oldest
 * first, as in Heron's LinkedHashMap): adding, removing any one and finding the oldest are O(1), and nothing is
 * allocated per root. An object per root, kept in a Map, was allocated straight into the old generation once V8
 * saw such objects survive (it pretenures their allocation site), and a busy spout's old generation then grew by
 * about 12 MB between two scavenges and needed a full collection (8-22 ms) every second.
 */
export class RootSlots {
  private lows = new Int32Array(1024);
  private highs = new Int32Array(1024);
  private times = new Float64Array(1024);
  private prev = new Int32Array(1024);
  private next = new Int32Array(1024);
  private readonly messageIds: unknown[] = [];
  private readonly streamStats: (OutputStats | undefined)[] = [];
  /** Slots free for reuse: a stack in the first {@link freeCount} entries. */
  private free = new Int32Array(1024);
  private freeCount = 0;
  /** Slots ever used: the next new one. */
  private used = 0;
  private head = NONE;
  private tail = NONE;

  /** Records a root emitted at `emittedAt` (ms), last in emit order; returns its slot. */
  add(low: number, high: number, emittedAt: number, messageId: unknown, stats: OutputStats): number {
    const slot = this.freeCount > 0 ? this.free[--this.freeCount]! : this.newSlot();
    this.lows[slot] = low;
    this.highs[slot] = high;
    this.times[slot] = emittedAt;
    this.messageIds[slot] = messageId;
    this.streamStats[slot] = stats;
    this.prev[slot] = this.tail;
    this.next[slot] = NONE;
    if (this.tail === NONE) this.head = slot;
    else this.next[this.tail] = slot;
    this.tail = slot;
    return slot;
  }

  /** True if `slot` holds the root (`low`, `high`). */
  holds(slot: number, low: number, high: number): boolean {
    return this.lows[slot] === low && this.highs[slot] === high;
  }

  /** The low half of the root in `slot`. */
  lowOf(slot: number): number {
    return this.lows[slot]!;
  }

  emittedAt(slot: number): number {
    return this.times[slot]!;
  }

  stats(slot: number): OutputStats {
    return this.streamStats[slot]!;
  }

  /** The slot of the oldest root, or -1 when none is pending. */
  oldest(): number {
    return this.head;
  }

  /** Frees `slot` (its root is settled) and returns its message id. */
  remove(slot: number): unknown {
    const before = this.prev[slot]!;
    const after = this.next[slot]!;
    if (before === NONE) this.head = after;
    else this.next[before] = after;
    if (after === NONE) this.tail = before;
    else this.prev[after] = before;
    const messageId = this.messageIds[slot];
    this.messageIds[slot] = undefined;
    this.streamStats[slot] = undefined;
    this.free[this.freeCount++] = slot;
    return messageId;
  }

  /** Frees every slot. */
  clear(): void {
    this.messageIds.length = 0;
    this.streamStats.length = 0;
    this.freeCount = 0;
    this.used = 0;
    this.head = this.tail = NONE;
  }

  /** A slot never used yet, the arrays doubled when full. */
  private newSlot(): number {
    const slot = this.used++;
    if (slot === this.lows.length) {
      this.lows = doubled(this.lows);
      this.highs = doubled(this.highs);
      this.times = doubled(this.times);
      this.prev = doubled(this.prev);
      this.next = doubled(this.next);
      this.free = doubled(this.free);
    }
    return slot;
  }
}

/** A copy of `array` twice as long. */
export function doubled<T extends Int32Array | Float64Array>(array: T): T {
  const next = new (array.constructor as new (length: number) => T)(array.length * 2);
  next.set(array);
  return next;
}
