import type { RootCompletion } from '../codec/control-set-reader.js';
import { RootGenerator } from './root-generator.js';
import type { OutputStats } from './stream-stats.js';

/** The bits of a root's low half that key the map: integers this small are V8's cheapest map keys. */
const KEY_MASK = 0x3fffffff;

interface PendingRoot {
  readonly low: number;
  readonly high: number;
  readonly messageId: unknown;
  readonly stats: OutputStats;
  readonly emittedAt: number;
}

/** Calls a spout's `ack` or `fail` with a message id. */
export type MessageCallback = (messageId: unknown) => void;

/**
 * A spout task's roots in flight under ATLEAST_ONCE (PROTOCOL.md §7, Heron's in-flight map): root → message id,
 * stream and emit time, in emit order (a Map iterates in insertion order, so the oldest come first, as in Heron's
 * LinkedHashMap). The stream manager's acks and fails are queued as they arrive ({@link complete}) and delivered by
 * the spout runner between user calls ({@link deliver}); roots older than the message timeout are failed by
 * {@link expire}, which the runner calls every timeout / 10, Heron's buckets.
 *
 * A root is drawn distinct from every pending one in its low 30 bits, which key the map: the lookup stays on small
 * integers, and the full 64 bits are still compared, so an ack for a root already timed out is ignored.
 */
export class PendingRoots {
  private readonly roots = new Map<number, PendingRoot>();
  /** (acked 1 or 0, key low, key high) per completion not yet delivered. */
  private readonly completions: number[] = [];
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
    return this.roots.size;
  }

  /** True when acks or fails wait for {@link deliver}. */
  get hasCompletions(): boolean {
    return this.completions.length > 0;
  }

  /** Draws a fresh non-zero root for an emit: `[task id, key low, key high]`, valid until the next draw. */
  draw(): readonly number[] {
    const { generator, roots } = this;
    let low: number;
    let high: number;
    do {
      low = generator.next();
      high = generator.next();
    } while ((low | high) === 0 || roots.has(low & KEY_MASK));
    this.drawn[1] = low;
    this.drawn[2] = high;
    return this.drawn;
  }

  /** Tracks the root last drawn, its tuple emitted at `now` (ms) with `messageId` on the stream counted by `stats`. */
  track(messageId: unknown, stats: OutputStats, now: number): void {
    const low = this.drawn[1]!;
    this.roots.set(low & KEY_MASK, { low, high: this.drawn[2]!, messageId, stats, emittedAt: now });
  }

  /** Queues an ack or fail from the stream manager (a {@link RootCompletion} for the control reader). */
  readonly complete: RootCompletion = (acked, low, high) => {
    this.completions.push(acked ? 1 : 0, low, high);
  };

  /**
   * Delivers the queued completions of roots still pending, at `now` (ms): counts them, adds the complete latency
   * of the acked, and calls `onAck` or `onFail`. What a callback throws propagates (the task is then over).
   */
  deliver(now: number, onAck: MessageCallback, onFail: MessageCallback): void {
    const queue = this.completions;
    const roots = this.roots;
    for (let i = 0; i < queue.length; i += 3) {
      const low = queue[i + 1]!;
      const key = low & KEY_MASK;
      const root = roots.get(key);
      // Unknown: timed out here already (the stream manager drops its own copy silently later), or never ours.
      if (root === undefined || root.low !== low || root.high !== queue[i + 2]) continue;
      roots.delete(key);
      const stats = root.stats;
      if (queue[i] === 1) {
        stats.ackCount++;
        stats.completeMs += now - root.emittedAt;
        stats.completeSamples++;
        onAck(root.messageId);
      } else {
        stats.failCount++;
        onFail(root.messageId);
      }
    }
    queue.length = 0;
  }

  /** Fails, oldest first, every root emitted before `cutoff` (ms). */
  expire(cutoff: number, onFail: MessageCallback): void {
    for (const [key, root] of this.roots) {
      if (root.emittedAt >= cutoff) return;
      this.roots.delete(key);
      root.stats.failCount++;
      onFail(root.messageId);
    }
  }

  /** Forgets every pending root and queued completion (the task is stopping). */
  clear(): void {
    this.roots.clear();
    this.completions.length = 0;
  }
}
