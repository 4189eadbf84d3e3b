import type { RootCompletion } from '../codec/control-set-reader.js';
import { RootGenerator } from './root-generator.js';
import { RootIndex } from './root-index.js';
import { doubled, RootSlots } from './root-slots.js';
import type { OutputStats } from './stream-stats.js';

/** The bits of a root's low half that key the index. */
const KEY_MASK = 0x3fffffff;

/** Calls a spout's `ack` or `fail` with a message id. */
export type MessageCallback = (messageId: unknown) => void;

/**
 * A spout task's roots in flight under ATLEAST_ONCE (PROTOCOL.md §7, Heron's in-flight map): root → message id,
 * stream and emit time, in emit order (root-slots.ts), found by key (root-index.ts). The stream manager's acks and
 * fails are queued as they arrive ({@link complete}) and delivered by the spout runner between user calls
 * ({@link deliver}); roots older than the message timeout are failed by {@link expire}, which the runner calls
 * every timeout / 10, Heron's buckets.
 *
 * A root is drawn distinct from every pending one in its low 30 bits, which key the index, and the full 64 bits are
 * still compared, so an ack for a root already timed out is ignored. Nothing here allocates per root.
 */
export class PendingRoots {
  private readonly index = new RootIndex();
  private readonly slots = new RootSlots();
  /**
   * (acked 1 or 0, key low, key high) per completion not yet delivered, in the first {@link queued} entries; grown
   * by doubling, never shrunk (a busy spout gets thousands per batch).
   */
  private completions = new Int32Array(3 * 1024);
  private queued = 0;
  /** The root of the next tracked emit, as TupleSetWriter takes roots: [task id, key low, key high]. */
  private readonly drawn: number[];

  constructor(
    taskId: number,
    private readonly generator: RootGenerator = new RootGenerator(),
  ) {
    this.drawn = [taskId, 0, 0];
  }

  /** Roots in flight: `nextTuple` is not called while this is at `topology.max.spout.pending`. */
  get size(): number {
    return this.index.size;
  }

  /** True when acks or fails wait for {@link deliver}. */
  get hasCompletions(): boolean {
    return this.queued > 0;
  }

  /** Draws a fresh non-zero root for an emit: `[task id, key low, key high]`, valid until the next draw. */
  draw(): readonly number[] {
    const { generator, index } = this;
    let low: number;
    let high: number;
    do {
      low = generator.next();
      high = generator.next();
    } while ((low | high) === 0 || index.has(low & KEY_MASK));
    this.drawn[1] = low;
    this.drawn[2] = high;
    return this.drawn;
  }

  /** Tracks the root last drawn, its tuple emitted at `now` (ms) with `messageId` on the stream counted by `stats`. */
  track(messageId: unknown, stats: OutputStats, now: number): void {
    const low = this.drawn[1]!;
    this.index.set(low & KEY_MASK, this.slots.add(low, this.drawn[2]!, now, messageId, stats));
  }

  /** Queues an ack or fail from the stream manager (a {@link RootCompletion} for the control reader). */
  readonly complete: RootCompletion = (acked, low, high) => {
    const at = this.queued;
    if (at + 3 > this.completions.length) this.completions = doubled(this.completions);
    const queue = this.completions;
    queue[at] = acked ? 1 : 0;
    queue[at + 1] = low;
    queue[at + 2] = high;
    this.queued = at + 3;
  };

  /**
   * Delivers the queued completions of roots still pending, at `now` (ms): counts them, adds the complete latency
   * of the acked, and calls `onAck` or `onFail`. What a callback throws propagates (the task is then over).
   */
  deliver(now: number, onAck: MessageCallback, onFail: MessageCallback): void {
    const { completions: queue, index, slots } = this;
    for (let i = 0; i < this.queued; i += 3) {
      const low = queue[i + 1]!;
      const key = low & KEY_MASK;
      const slot = index.get(key);
      // Unknown: timed out here already (the stream manager drops its own copy silently later), or never ours.
      if (slot === -1 || !slots.holds(slot, low, queue[i + 2]!)) continue;
      index.delete(key);
      const stats = slots.stats(slot);
      const emittedAt = slots.emittedAt(slot);
      const messageId = slots.remove(slot);
      if (queue[i] === 1) {
        stats.ackCount++;
        stats.completeMs += now - emittedAt;
        stats.completeSamples++;
        onAck(messageId);
      } else {
        stats.failCount++;
        onFail(messageId);
      }
    }
    this.queued = 0;
  }

  /** Fails, oldest first, every root emitted before `cutoff` (ms). */
  expire(cutoff: number, onFail: MessageCallback): void {
    const { index, slots } = this;
    for (let slot = slots.oldest(); slot !== -1 && slots.emittedAt(slot) < cutoff; slot = slots.oldest()) {
      index.delete(slots.lowOf(slot) & KEY_MASK);
      slots.stats(slot).failCount++;
      onFail(slots.remove(slot));
    }
  }

  /** Forgets every pending root and queued completion (the task is stopping). */
  clear(): void {
    this.index.clear();
    this.slots.clear();
    this.queued = 0;
  }
}
