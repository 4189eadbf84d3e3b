import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` until it holds, failing with `what` once `timeoutMs` has passed: a deadline, not a fixed sleep. */
export async function waitFor(what: string | (() => string), condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(5);
  }
}
