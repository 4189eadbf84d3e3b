import type { Bolt } from '../../../api/bolt.js';
import type { Emitter } from './emitter.js';
import type { InboundTuples } from './inbound-tuples.js';
import { tickTuple } from './instance-tuple.js';
import type { OutboundFrames } from './outbound-frames.js';
import { SLICE_MS, SLICE_BYTES, SLOW_CALL_MS, SliceLoop } from './slice-loop.js';
import type { TaskFailure } from './spout-runner.js';
import type { InputStream } from './stream-stats.js';

/**
 * Calls a bolt's `execute` for every arriving tuple, in slices of at most {@link SLICE_MS} or {@link SLICE_BYTES}
 * read (Heron's bolt loop), while outgoing buffers are free; and a tick tuple every `tickSecs` when set. When the
 * input runs dry it sends what it has batched at once: nothing more is coming to fill the frame.
 *
 * It counts every execute on the tuple's input stream, and times a sample of them: the first of each slice and every
 * 16th after it, or every one once they take {@link SLOW_CALL_MS} or more (a clock read costs about a cheap execute).
 */
export class BoltRunner extends SliceLoop {
  private tickDue = false;
  private tickTimer: NodeJS.Timeout | undefined;
  /** Executes are timed when (calls & mask) is 0. */
  private mask = 15;

  constructor(
    private readonly bolt: Bolt,
    private readonly emitter: Emitter,
    private readonly out: OutboundFrames,
    private readonly inbound: InboundTuples,
    private readonly fail: TaskFailure,
    private readonly tickSecs: number | undefined,
    /** Where tick tuples are counted. */
    private readonly tickInput: InputStream,
  ) {
    super();
  }

  /** Starts the tick timer and the loop. */
  start(): void {
    if (this.tickSecs !== undefined) {
      this.tickTimer = setInterval(() => {
        this.tickDue = true;
        this.wake();
      }, this.tickSecs * 1000);
    }
    this.wake();
  }

  override abort(): void {
    super.abort();
    clearInterval(this.tickTimer);
  }

  /** Stops executing (after the tuple in progress), cleans the bolt up and sends what is batched. */
  async stop(): Promise<void> {
    clearInterval(this.tickTimer);
    await this.halt();
    await this.bolt.cleanup?.();
    this.emitter.flushAll();
    this.emitter.close();
  }

  protected async runSlice(): Promise<number> {
    const { bolt, emitter, out, inbound } = this;
    let now = performance.now();
    emitter.now = now;
    emitter.inSlice = true;
    const deadline = now + SLICE_MS;
    const bytesLimit = inbound.consumed + SLICE_BYTES;
    let calls = 0;
    let drained = false;
    try {
      if (this.tickDue) {
        this.tickDue = false;
        const input = this.tickInput;
        input.executeCount++;
        const result = bolt.execute(tickTuple(input, this.tickSecs!));
        if (result !== undefined) await result;
        now = performance.now();
        input.executeMs += now - emitter.now;
        input.executeSamples++;
        emitter.now = now;
      }
      // Woken again by the connection's credit.
      if (!out.hasCredit) return -1;
      for (;;) {
        const tuple = inbound.next();
        if (tuple === undefined) {
          drained = true;
          break;
        }
        const input = tuple.input;
        input.executeCount++;
        const timed = (calls++ & this.mask) === 0;
        const start = timed ? performance.now() : 0;
        const result = bolt.execute(tuple);
        if (result !== undefined) await result;
        const fresh = timed || result !== undefined;
        if (fresh) {
          now = performance.now();
          emitter.now = now;
        }
        if (timed) {
          const took = now - start;
          input.executeMs += took;
          input.executeSamples++;
          this.mask = took >= SLOW_CALL_MS ? 0 : 15;
        }
        if (this.halted || !out.hasCredit || inbound.consumed >= bytesLimit) break;
        if (fresh) {
          if (now >= deadline) break;
          if (emitter.hasPending) emitter.flushAged(now);
        }
      }
    } catch (error) {
      this.fail(error, 'execute');
      return -1;
    } finally {
      emitter.inSlice = false;
    }
    if (drained) {
      emitter.flushAll();
      return -1;
    }
    emitter.flushAged(performance.now());
    return 0;
  }
}
