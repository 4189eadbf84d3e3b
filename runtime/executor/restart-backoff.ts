/** How long to wait before restarting a process that died. */
export interface RestartBackoffOptions {
  /** The first delay (`egret.executor.restart.backoff.min.ms`). */
  readonly minMs: number;
  /** The longest delay (`egret.executor.restart.backoff.max.ms`). */
  readonly maxMs: number;
  /**
   * A run at least this long counts as healthy, and the next death starts again from `minMs`. Default `maxMs`: a
   * process that outlived the longest delay is not in a crash loop, and a crash loop never waits more than `maxMs`.
   */
  readonly resetAfterMs?: number;
}

/**
 * The restart delays of one process: `minMs` after a death, doubling with every further quick death, capped at
 * `maxMs`, and back to `minMs` once a run lasted `resetAfterMs`. Quick deaths thus back off exponentially while
 * an occasional crash is restarted at once.
 */
export class RestartBackoff {
  private last: number | undefined;

  constructor(private readonly options: RestartBackoffOptions) {
    if (!(options.minMs > 0) || !(options.maxMs >= options.minMs)) throw new RangeError(`restart backoff needs 0 < min (${options.minMs}) <= max (${options.maxMs})`);
  }

  /** The delay before the next start of a process that died after running `runMs`. */
  next(runMs: number): number {
    const healthy = runMs >= (this.options.resetAfterMs ?? this.options.maxMs);
    this.last = this.last === undefined || healthy ? this.options.minMs : Math.min(this.last * 2, this.options.maxMs);
    return this.last;
  }

  /** Forgets past deaths: the next delay is `minMs` again (a process restarted on purpose). */
  reset(): void {
    this.last = undefined;
  }
}
