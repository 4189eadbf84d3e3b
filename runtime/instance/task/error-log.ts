import { messageOf } from '../../../core/errors.js';
import type { PublishedException } from '../../metrics/metrics-publisher.js';

/**
 * Distinct errors kept per interval, and the longest stack and message kept: a publish message must stay well under
 * the metrics manager's 1 MiB frame (Heron keeps 1024 per message, but truncates nothing; its topology manager keeps
 * 256).
 */
export const MAX_ERRORS_PER_INTERVAL = 128;
const MAX_STACK_CHARS = 4096;
const MAX_MESSAGE_CHARS = 1024;

interface ErrorEntry {
  readonly stacktrace: string;
  readonly logging: string;
  readonly firstTime: string;
  lastTime: string;
  count: number;
}

/**
 * User errors since the last publish, aggregated as Heron's ExceptionData: one entry per distinct message and stack,
 * with its count and first and last times (ISO 8601). A user error in a loop costs a map lookup, not a message each.
 */
export class ErrorLog {
  private readonly entries = new Map<string, ErrorEntry>();

  /** Records one error (an Error or anything thrown). */
  add(error: unknown, at: Date = new Date()): void {
    const logging = truncate(messageOf(error), MAX_MESSAGE_CHARS);
    const stacktrace = truncate((error instanceof Error ? error.stack : undefined) ?? logging, MAX_STACK_CHARS);
    const key = `${logging}\u0000${stacktrace}`;
    const time = at.toISOString();
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      entry.count++;
      entry.lastTime = time;
      return;
    }
    // Past the bound a new distinct error is left out: one broken input must not grow the message without end.
    if (this.entries.size < MAX_ERRORS_PER_INTERVAL) this.entries.set(key, { stacktrace, logging, firstTime: time, lastTime: time, count: 1 });
  }

  /** The errors since the last call, and forgets them. */
  drain(): PublishedException[] {
    const drained = [...this.entries.values()].map((e) => ({ stacktrace: e.stacktrace, logging: e.logging, firstTime: e.firstTime, lastTime: e.lastTime, count: e.count }));
    this.entries.clear();
    return drained;
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
