import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` until it returns a value other than undefined or false, and returns that value; throws, naming
 * `what`, once `deadlineMs` has passed. For multi-process tests, which wait on conditions, never on fixed sleeps.
 */
export async function waitFor<T>(what: string, condition: () => T | undefined | false | Promise<T | undefined | false>, deadlineMs: number, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

/** `promise`'s outcome, or a rejection naming `what` once `ms` have passed. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
