import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { SliceLoop } from './slice-loop.js';

/** A loop whose slices only count themselves and each ask for the next one after `delayMs`. */
class CountingLoop extends SliceLoop {
  slices = 0;
  constructor(private readonly delayMs: number) {
    super();
  }
  protected runSlice(): Promise<number> {
    this.slices++;
    return Promise.resolve(this.delayMs);
  }
  stop(): Promise<void> {
    return this.halt();
  }
}

describe('SliceLoop', () => {
  it('keeps one chain of slices when woken at once while a delayed slice is pending', async () => {
    // A rate-limited spout: each slice asks for the next after 20 ms, and the socket's events (acks, credit)
    // wake it at once in between. Each wake-up used to leave the pending timer armed, forking another chain.
    const loop = new CountingLoop(20);
    try {
      loop.wake(0);
      for (let i = 0; i < 20; i++) {
        await sleep(5);
        loop.wake(0);
      }
      await sleep(5);
      const before = loop.slices;
      await sleep(200);
      const during = loop.slices - before;
      // One chain: about 200 / 20 = 10 slices (timers fire late, never early, so a loaded machine only makes it
      // fewer); twenty forked chains: about 200.
      assert.ok(during <= 12, `${during} slices in 200 ms with one 20 ms chain`);
      await waitFor('the chain to go on', () => loop.slices > before + during, 2000, 5);
    } finally {
      // A loop left running keeps the test process alive, and the whole run waits for it.
      await loop.stop();
    }
  });

  it('runs a slice at once when woken while a delayed one is pending', async () => {
    // Each slice asks for the next after 10 s: a wake-up meanwhile must start one now, well within the 2 s waited.
    // Waited for, not slept on: on a loaded machine a sleep's timer can fire before the slice's setImmediate.
    const loop = new CountingLoop(10_000);
    try {
      loop.wake(0);
      await waitFor('the first slice', () => loop.slices === 1, 2000, 1);
      loop.wake(0);
      await waitFor('a second slice at once, the delayed one pending', () => loop.slices === 2, 2000, 1);
    } finally {
      await loop.stop();
    }
  });

  it('starts no slice after halt, timer or not', async () => {
    const loop = new CountingLoop(5);
    loop.wake(0);
    await sleep(2);
    await loop.stop();
    const after = loop.slices;
    loop.wake(0);
    await sleep(30);
    assert.equal(loop.slices, after);
  });
});
