/** Heron's bound on one run of user code between two looks at the thread's messages. */
export const SLICE_MS = 16;
/** ... and on the bytes emitted (spout) or read (bolt) in it. */
export const SLICE_BYTES = 32 * 1024;
/**
 * A user call at least this long (ms) makes a clock read (about 0.1 µs here) negligible beside it: the runners then
 * read the clock after each call rather than every 16th.
 */
export const SLOW_CALL_MS = 0.05;

/**
 * Runs a task's work in slices, one at a time, each started from the event loop so that the socket's events (credit,
 * frames) and the main thread's messages (plans) are handled between two slices. A slice returns when it wants the next one: now (0),
 * after some milliseconds, or only when woken (-1).
 */
export abstract class SliceLoop {
  /** A slice is asked for at the next turn of the event loop. */
  private immediate = false;
  /** The timer of a delayed slice, cleared when a wake-up asks for one sooner. */
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** A wake-up during a slice: the slice may have looked before the cause, so run another. */
  private wokenWhileRunning = false;
  /** Set by {@link halt}: no slice starts any more. */
  protected halted = false;

  /** Asks for a slice, now or after `delayMs`; a request already pending for no later, or a slice running, covers it. */
  wake(delayMs = 0): void {
    if (this.running !== undefined) this.wokenWhileRunning = true;
    if (this.halted || this.running !== undefined || this.immediate) return;
    if (delayMs > 0) {
      this.timer ??= setTimeout(() => this.beginSlice(), delayMs);
    } else {
      // One request at a time: a timer left armed would start a second chain of slices, and each such wake-up
      // another (a rate-limited spout then spun through hundreds of thousands of slices a second).
      clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate = true;
      setImmediate(() => this.beginSlice());
    }
  }

  private beginSlice(): void {
    this.immediate = false;
    this.timer = undefined;
    if (this.halted || this.running !== undefined) return;
    this.wokenWhileRunning = false;
    this.running = this.runSlice().then((next) => {
      this.running = undefined;
      if (this.wokenWhileRunning) this.wake(0);
      else if (next >= 0) this.wake(next);
    });
  }

  /**
   * Starts no slice any more, at once: the task failed, and no user code may run after that (while the main thread
   * publishes the failure). Subclasses also stop their timers.
   */
  abort(): void {
    this.halted = true;
    clearTimeout(this.timer);
  }

  /** Stops starting slices and waits for the one running, if any. */
  protected async halt(): Promise<void> {
    this.halted = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One slice; must not throw (it reports user failures itself). Returns the delay before the next, or -1. */
  protected abstract runSlice(): Promise<number>;
}
