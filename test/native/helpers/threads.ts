import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from './wait-for.js';

/** This process's threads: /proc/self/task. */
export function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

/** The names (comm) of this process's threads; the data thread calls itself `egret-datapath`. */
export function threadNames(): string[] {
  return readdirSync('/proc/self/task').flatMap((task) => {
    try {
      return [readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim()];
    } catch {
      return []; // Gone meanwhile.
    }
  });
}

/**
 * Waits until this process has `expected` threads and none named `egret-datapath`. A thread that was joined may
 * still be listed for a moment: the kernel wakes pthread_join (it clears the thread id) before it releases the task,
 * and CI saw one thread more right after a data path's close() and a worker's terminate() resolved. A thread that
 * leaked stays, and fails this after `timeoutMs`, naming every thread.
 */
export function threadsSettleAt(expected: number, what: string, timeoutMs = 2000): Promise<void> {
  return waitFor(() => `${what}: ${expected} threads and no data thread; now ${threadNames().join(', ')}`, () => threadCount() === expected && !threadNames().includes('egret-datapath'), timeoutMs);
}
