import { readFileSync } from 'node:fs';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Reads how far the test spout has counted (its `test.progress.file`), or -1 before it first wrote it. The spout
 * rewrites the file every 10 ms; a read between its truncation and its write finds it empty, and is retried.
 */
export function progressOf(file: string): number {
  // Bounded: a spout killed between the two leaves the file empty for good.
  for (let attempt = 0; attempt < 1000; attempt++) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return -1;
    }
    if (text !== '') return Number(text);
  }
  return -1;
}

/** Waits until the spout's count stays put for `quietMs`; returns that count. */
export async function waitUntilStill(file: string, quietMs: number, deadlineMs: number): Promise<number> {
  let last = progressOf(file);
  let since = Date.now();
  return waitFor(
    `the spout to stop counting for ${quietMs} ms`,
    () => {
      const now = progressOf(file);
      if (now !== last) {
        last = now;
        since = Date.now();
        return undefined;
      }
      return Date.now() - since >= quietMs ? now : undefined;
    },
    deadlineMs,
    10,
  );
}
