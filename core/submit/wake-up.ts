/**
 * A sleep that an event (a state watch, a child's exit) cuts short, remembering a wake that came while nobody slept:
 * the waits of submit and launch look again as soon as something changed rather than on the next poll.
 */
export class WakeUp {
  private woken = false;
  private resolve: (() => void) | undefined;

  readonly wake = (): void => {
    this.woken = true;
    this.resolve?.();
  };

  /** Forgets earlier wakes; call it before looking. */
  reset(): void {
    this.woken = false;
  }

  /** Resolves after `ms`, or at the first wake since the last reset (at once if one came already). */
  async sleep(ms: number): Promise<void> {
    if (this.woken) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.resolve = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.resolve = undefined;
  }
}
