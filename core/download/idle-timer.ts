import { pipeline, type Readable, Transform } from 'node:stream';

/** The error an {@link IdleTimer} aborts with; its code reads as a timeout to {@link failureOfError}. */
export class IdleTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

/**
 * Aborts a transfer that makes no progress for `ms` milliseconds. A timeout per request would fail a large package
 * on a slow link, and HTTP clients stop watching once the response headers are in, so transfers touch the timer on
 * every chunk instead: the limit is on silence, not on size.
 */
export class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  /** Starts counting at once; `what` names the transfer in the timeout's message. */
  constructor(
    private readonly ms: number,
    private readonly what: string,
  ) {
    this.touch();
  }

  /** Aborted with an {@link IdleTimeoutError} when the time runs out. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the timer has fired. */
  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Records progress: the silence starts again from now. */
  touch(): void {
    if (this.controller.signal.aborted) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new IdleTimeoutError(`${this.what}: no progress for ${this.ms} ms`)), this.ms);
  }

  /**
   * `stream` passed through a transform that touches the timer on every chunk; errors of `stream` reach the result.
   * (Listening for 'data' on `stream` itself would start it flowing before its consumer is attached.)
   */
  watch(stream: Readable): Readable {
    const touching = new Transform({
      transform: (chunk, _encoding, callback) => {
        this.touch();
        callback(null, chunk);
      },
    });
    return pipeline(stream, touching, () => undefined);
  }

  /** Stops the timer; call it when the transfer ends either way. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
