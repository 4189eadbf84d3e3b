/** The bounds of an executor's restart delays (`egret.scheduler.local.restart.backoff.{min,max}.ms`). */
export interface RestartDelayBounds {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * The delays before restarting one executor: `minMs` after a death, twice the previous delay after each death that
 * came quickly (the executor ran less than `maxMs`), never more than `maxMs`. An executor that ran for `maxMs` or
 * longer was healthy, so its next death starts over at `minMs`: a crash loop costs little, a rare crash is
 * repaired at once.
 */
export class RestartDelay {
  private previous: number | undefined;

  constructor(private readonly bounds: RestartDelayBounds) {
    if (!(bounds.minMs > 0) || !(bounds.maxMs >= bounds.minMs)) throw new RangeError(`restart delays need 0 < min (${bounds.minMs}) <= max (${bounds.maxMs})`);
  }

  /** The delay before the next start of an executor that died after running `ranMs`. */
  after(ranMs: number): number {
    const quick = ranMs < this.bounds.maxMs;
    this.previous = quick && this.previous !== undefined ? Math.min(this.bounds.maxMs, this.previous * 2) : this.bounds.minMs;
    return this.previous;
  }

  /** Forgets past deaths (an executor restarted on request starts with a clean record). */
  reset(): void {
    this.previous = undefined;
  }
}
