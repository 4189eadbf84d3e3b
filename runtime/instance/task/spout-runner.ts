import type { Spout } from '../../../api/spout.js';
import type { Emitter } from './emitter.js';
import type { OutboundFrames } from './outbound-frames.js';
import type { PendingRoots } from './pending-roots.js';
import { SLICE_BYTES, SLICE_MS, SLOW_CALL_MS, SliceLoop } from './slice-loop.js';

/** How long an idle spout (a `nextTuple` that emitted nothing) waits before trying again, as Storm's default. */
export const IDLE_SPOUT_WAIT_MS = 1;
/** Heron's heron.instance.acknowledgement.nbuckets: timeouts are looked for every message timeout / this. */
export const TIMEOUT_BUCKETS = 10;

/** Reports user code that threw: `during` names the method. */
export type TaskFailure = (error: unknown, during: string) => void;

/** What a spout runner needs under ATLEAST_ONCE. */
export interface SpoutAcking {
  readonly roots: PendingRoots;
  /** `topology.max.spout.pending`. */
  readonly maxPending: number;
  /** `topology.message.timeout.secs` in ms, or 0 when `topology.enable.message.timeouts` is false. */
  readonly timeoutMs: number;
}

/**
 * Calls a spout's `nextTuple` while the topology is active and outgoing buffers are free, in slices of at most
 * {@link SLICE_MS} or {@link SLICE_BYTES} emitted (Heron's spout loop).
 *
 * Under ATMOST_ONCE a tuple emitted with a message id is acked at once, after the `nextTuple` call that emitted it.
 * Under ATLEAST_ONCE (`acking`) each slice first delivers the acks and fails the stream manager sent and fails the
 * roots that timed out (looked for every timeout / {@link TIMEOUT_BUCKETS}), then calls `nextTuple` only while fewer
 * than `maxPending` roots are in flight; at the bound it sends what it batched and waits for an ack or a timeout.
 */
export class SpoutRunner extends SliceLoop {
  private active = false;
  private readonly acks: unknown[] = [];
  private expiryDue = false;
  private expiryTimer: NodeJS.Timeout | undefined;
  /** The user method being called, for a failure's report. */
  private during = 'nextTuple';
  /** Clock reads every (mask + 1) calls: 16 for a cheap nextTuple, each call for a slow one. */
  private mask = 15;
  private readonly onAck = (messageId: unknown): void => {
    this.during = 'ack';
    this.spout.ack?.(messageId);
  };
  private readonly onFail = (messageId: unknown): void => {
    this.during = 'fail';
    this.spout.fail?.(messageId);
  };

  constructor(
    private readonly spout: Spout,
    private readonly emitter: Emitter,
    private readonly out: OutboundFrames,
    private readonly fail: TaskFailure,
    private readonly acking: SpoutAcking | null = null,
  ) {
    super();
    const timeoutMs = acking?.timeoutMs ?? 0;
    if (timeoutMs > 0) {
      this.expiryTimer = setInterval(() => {
        this.expiryDue = true;
        this.wake();
      }, timeoutMs / TIMEOUT_BUCKETS);
    }
  }

  /** Queues the ack of a message id (ATMOST_ONCE; called by the collector during `nextTuple`). */
  ackLater(messageId: unknown): void {
    this.acks.push(messageId);
  }

  /** Follows the topology's state: calls `activate` or `deactivate` on a change, and starts or stops the loop. */
  setActive(active: boolean): void {
    if (active === this.active || this.halted) return;
    this.active = active;
    try {
      if (active) this.spout.activate?.();
      else this.spout.deactivate?.();
    } catch (error) {
      this.fail(error, active ? 'activate' : 'deactivate');
      return;
    }
    if (active) this.wake();
  }

  override abort(): void {
    super.abort();
    clearInterval(this.expiryTimer);
  }

  /** Stops calling `nextTuple`, then deactivates (if active) and closes the spout, and sends what is batched. */
  async stop(): Promise<void> {
    clearInterval(this.expiryTimer);
    await this.halt();
    if (this.active) {
      this.active = false;
      this.spout.deactivate?.();
    }
    this.deliverAcks();
    this.acking?.roots.clear();
    await this.spout.close?.();
    this.emitter.flushAll();
    this.emitter.close();
  }

  protected async runSlice(): Promise<number> {
    const { emitter, out, spout, acking } = this;
    let now = performance.now();
    emitter.now = now;
    emitter.inSlice = true;
    try {
      if (acking !== null && !this.settle(acking, now)) return -1;
      if (!this.active) {
        emitter.flushAll();
        return -1;
      }
      // Woken again by the connection's credit.
      if (!out.hasCredit) return -1;
      const maxPending = acking === null ? Infinity : acking.maxPending;
      const pending = acking?.roots;
      if (pending !== undefined && pending.size >= maxPending) {
        // Nothing more comes until an ack: what is batched must not wait for the batch age.
        emitter.flushAll();
        return -1;
      }
      const deadline = now + SLICE_MS;
      const bytesLimit = emitter.bytes + SLICE_BYTES;
      const emittedAtStart = emitter.emitted;
      let calls = 0;
      let lastRead = now;
      let callsAtRead = 0;
      this.during = 'nextTuple';
      try {
        for (;;) {
          const before = emitter.emitted;
          const result = spout.nextTuple();
          if (result !== undefined) await result;
          if (this.acks.length > 0) {
            this.during = 'ack';
            this.deliverAcks();
            this.during = 'nextTuple';
          }
          if (emitter.emitted === before || !this.active || this.halted || !out.hasCredit || emitter.bytes >= bytesLimit) break;
          if (pending !== undefined && pending.size >= maxPending) {
            emitter.flushAll();
            return -1;
          }
          // The clock costs more than a cheap nextTuple: read it every 16 calls, or after each slow or awaited one
          // (emit times, which time the complete latency, come from it).
          if ((++calls & this.mask) === 0 || result !== undefined) {
            now = performance.now();
            emitter.now = now;
            if (now >= deadline) break;
            this.mask = now - lastRead > SLOW_CALL_MS * (calls - callsAtRead) ? 0 : 15;
            lastRead = now;
            callsAtRead = calls;
            if (emitter.hasPending) emitter.flushAged(now);
          }
        }
      } catch (error) {
        this.fail(error, this.during);
        return -1;
      }
      if (emitter.emitted !== emittedAtStart) {
        emitter.flushAged(performance.now());
        return 0;
      }
      // Idle: nothing will join what is batched before the spout has more to emit, so it goes now rather than at
      // the batch age (a busy spout's frames still fill up or age in its slices).
      emitter.flushAll();
      return IDLE_SPOUT_WAIT_MS;
    } finally {
      emitter.inSlice = false;
    }
  }

  /** Delivers the stream manager's acks and fails and fails the roots timed out; false if user code threw. */
  private settle(acking: SpoutAcking, now: number): boolean {
    const { roots } = acking;
    try {
      if (roots.hasCompletions) roots.deliver(now, this.onAck, this.onFail);
      if (this.expiryDue) {
        this.expiryDue = false;
        roots.expire(now - acking.timeoutMs, this.onFail);
      }
      return true;
    } catch (error) {
      this.fail(error, this.during);
      return false;
    }
  }

  private deliverAcks(): void {
    const { acks, spout } = this;
    // An ack may emit and queue another: the loop reads the length each time.
    for (let i = 0; i < acks.length; i++) spout.ack?.(acks[i]);
    acks.length = 0;
  }
}
