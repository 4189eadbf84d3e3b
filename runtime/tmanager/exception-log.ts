import type { TManagerException } from '../../core/submit/tmanager-metrics.js';

/**
 * One user error as the topology manager keeps it, and serves it at `GET /exceptions`: reports of the same error by
 * the same instance merged. The shape is the endpoint's (core/submit/tmanager-metrics.ts), which `egret status` reads.
 */
export type CachedException = TManagerException;

/**
 * The user errors reported to the topology manager: the same error (component, instance, stack trace) reported
 * again adds to its count and moves its last time; at most `capacity` are kept (Heron's 256), the one reported
 * least recently dropped first.
 */
export class ExceptionLog {
  private readonly entries = new Map<string, CachedException>();

  constructor(private readonly capacity = 256) {}

  add(report: CachedException): void {
    const key = JSON.stringify([report.component, report.instance, report.stacktrace || report.message]);
    const known = this.entries.get(key);
    // Deleting first moves the entry to the end of the Map's order: the newest.
    this.entries.delete(key);
    this.entries.set(key, known ? { ...report, count: known.count + report.count, firstTime: known.firstTime || report.firstTime } : report);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
  }

  /** Every kept error, the most recently reported last; only `component`'s when given. */
  list(component?: string): CachedException[] {
    return [...this.entries.values()].filter((e) => component === undefined || e.component === component);
  }

  get size(): number {
    return this.entries.size;
  }
}
