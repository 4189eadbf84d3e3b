import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'winston';
import { MetricsAccumulator } from '../../metrics/metrics-accumulator.js';
import { MetricsPublisher, type MetricsPublisherIdentity, type PublishedException } from '../../metrics/metrics-publisher.js';
import { MAX_ERRORS_PER_INTERVAL } from '../task/error-log.js';
import type { QueueDepths } from '../task-protocol.js';


/** How often to look whether the metrics manager connection is up while a failure waits for it. */
const POLL_MS = 20;

/**
 * The main thread's side of an instance's metrics (PROTOCOL.md §9; Heron's gateway owns the metrics manager
 * connection too): publishes each report of the task thread through {@link MetricsPublisher}, with the queue depths and
 * `__restarts`. While the metrics manager cannot be reached (it starts alongside the instance, and may restart)
 * reports are merged and go with the next publish, so the counts add up to what the task did (Heron loses them);
 * user errors are kept likewise; and a failure waits a moment for the connection, so that it is published before
 * the process exits.
 */
export class InstanceMetrics {
  private publisher: MetricsPublisher | undefined;
  private readonly unsent: PublishedException[] = [];
  private readonly unsentMetrics = new MetricsAccumulator();

  /** The task thread's latest connection gauges, published with every report (a failure's too). */
  private depths: QueueDepths = { inQueue: 0, outQueue: 0 };

  constructor(
    private readonly endpoint: string,
    private readonly restarts: number,
  ) {}

  /** Connects and registers as `identity` (once the component is known); later calls do nothing. */
  start(identity: MetricsPublisherIdentity, logger: Logger): void {
    this.publisher ??= new MetricsPublisher(this.endpoint, identity, logger);
  }

  /** Publishes a report of the task thread's, with the connection's gauges as it measured them (else the last ones). */
  publish(metrics: ReadonlyArray<readonly [string, number]>, exceptions: readonly PublishedException[], depths: QueueDepths = this.depths): void {
    this.depths = depths;
    const publisher = this.publisher;
    this.unsentMetrics.add(new Map(metrics));
    if (publisher === undefined || !publisher.connected) {
      this.keep(exceptions);
      return;
    }
    const { inQueue, outQueue } = this.depths;
    const all = this.unsentMetrics.drain();
    all.set('__in-queue-depth', inQueue);
    all.set('__out-queue-depth', outQueue);
    all.set('__restarts', this.restarts);
    publisher.publish(all, [...this.unsent.splice(0), ...exceptions].slice(0, MAX_ERRORS_PER_INTERVAL));
  }

  /**
   * Publishes the error the instance fails with, waiting up to `waitMs` for the metrics manager connection if it is
   * not up (it reconnects every second). Resolves once handed to the socket, or once given up.
   */
  async publishFailure(error: PublishedException, waitMs: number): Promise<void> {
    const publisher = this.publisher;
    if (publisher === undefined) return;
    const deadline = Date.now() + waitMs;
    while (!publisher.connected && Date.now() < deadline) await sleep(POLL_MS);
    // First, so that no bound on a message's errors leaves it out.
    this.unsent.unshift(error);
    this.publish([], []);
  }

  /** Stops publishing. */
  close(): void {
    this.publisher?.close();
  }

  private keep(exceptions: readonly PublishedException[]): void {
    const room = MAX_ERRORS_PER_INTERVAL - this.unsent.length;
    if (room > 0) this.unsent.push(...exceptions.slice(0, room));
  }
}

/** The failure of an instance as a user error to publish, at `at`. */
export function failureException(message: string, stack: string | undefined, at: Date = new Date()): PublishedException {
  const time = at.toISOString();
  return { stacktrace: stack ?? message, logging: message, firstTime: time, lastTime: time, count: 1 };
}
