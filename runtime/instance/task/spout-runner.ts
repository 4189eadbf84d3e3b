import type { Spout } from '../../../api/spout.js';
import type { Emitter } from './emitter.js';
import type { OutboundFrames } from './outbound-frames.js';
import { SLICE_BYTES, SLICE_MS, SliceLoop } from './slice-loop.js';

/** How long an idle spout (a `nextTuple` that emitted nothing) waits before trying again, as Storm's default. */
export const IDLE_SPOUT_WAIT_MS = 1;

/** Reports user code that threw: `during` names the method. */
export type TaskFailure = (error: unknown, during: string) => void;

/**
 * Calls a spout's `nextTuple` while the topology is active and outgoing buffers are free, in slices of at most
 * {@link SLICE_MS} or {@link SLICE_BYTES} emitted (Heron's spout loop), and delivers ATMOST_ONCE acks: under
 * ATMOST_ONCE a tuple emitted with a message id is acked at once, after the `nextTuple` call that emitted it.
 */
export class SpoutRunner extends SliceLoop {
  private active = false;
  private readonly acks: unknown[] = [];

  constructor(
    private readonly spout: Spout,
    private readonly emitter: Emitter,
    private readonly out: OutboundFrames,
    private readonly fail: TaskFailure,
  ) {
    super();
  }

  /** Queues the ack of a message id (called by the collector during `nextTuple`). */
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

  /** Stops calling `nextTuple`, then deactivates (if active) and closes the spout, and sends what is batched. */
  async stop(): Promise<void> {
    await this.halt();
    if (this.active) {
      this.active = false;
      this.spout.deactivate?.();
    }
    this.deliverAcks();
    await this.spout.close?.();
    this.emitter.flushAll();
    this.emitter.close();
  }

  protected async runSlice(): Promise<number> {
    const { emitter, out, spout } = this;
    if (!this.active) {
      emitter.flushAll();
      return -1;
    }
    // Woken again by the gateway's credit.
    if (!out.hasCredit) return -1;
    let now = performance.now();
    emitter.now = now;
    const deadline = now + SLICE_MS;
    const bytesLimit = emitter.bytes + SLICE_BYTES;
    const emittedAtStart = emitter.emitted;
    let calls = 0;
    let during = 'nextTuple';
    try {
      for (;;) {
        const before = emitter.emitted;
        const result = spout.nextTuple();
        if (result !== undefined) await result;
        if (this.acks.length > 0) {
          during = 'ack';
          this.deliverAcks();
          during = 'nextTuple';
        }
        if (emitter.emitted === before || !this.active || this.halted || !out.hasCredit || emitter.bytes >= bytesLimit) break;
        // The clock costs more than a cheap nextTuple: read it every 16 calls.
        if ((++calls & 15) === 0) {
          now = performance.now();
          emitter.now = now;
          if (now >= deadline) break;
          if (emitter.hasPending) emitter.flushAged(now);
        }
      }
    } catch (error) {
      this.fail(error, during);
      return -1;
    }
    emitter.flushAged(performance.now());
    return emitter.emitted === emittedAtStart ? IDLE_SPOUT_WAIT_MS : 0;
  }

  private deliverAcks(): void {
    const { acks, spout } = this;
    // An ack may emit and queue another: the loop reads the length each time.
    for (let i = 0; i < acks.length; i++) spout.ack?.(acks[i]);
    acks.length = 0;
  }
}
