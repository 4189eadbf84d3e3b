/**
 * Runs async jobs one at a time, in the order given: plan publications, state changes and packing-plan updates
 * each read and write the same plan, and must not interleave across their awaits.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  /** @param onError told about a failed job started with {@link run} (the queue goes on). */
  constructor(private readonly onError: (error: unknown) => void) {}

  /** Queues a job whose failure only needs reporting. */
  run(job: () => Promise<void>): void {
    this.tail = this.tail.then(job).catch(this.onError);
  }

  /** Queues a job and resolves (or rejects) with its outcome. */
  call<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every job queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }
}
