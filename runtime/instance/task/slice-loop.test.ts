import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
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
    loop.wake(0);
    for (let i = 0; i < 20; i++) {
      await sleep(5);
      loop.wake(0);
    }
    await sleep(5);
    const before = loop.slices;
    await sleep(200);
    const during = loop.slices - before;
    await loop.stop();
    // One chain: about 200 / 20 = 10 slices (timers fire late, never early); twenty forked chains: about 200.
    assert.ok(during <= 12, `${during} slices in 200 ms with one 20 ms chain`);
    assert.ok(during >= 3, `${during} slices in 200 ms: the chain stopped`);
  });

  it('runs a slice at once when woken while a delayed one is pending', async () => {
    const loop = new CountingLoop(10_000);
    loop.wake(0);
    await sleep(5);
    assert.equal(loop.slices, 1);
    loop.wake(0);
    await sleep(5);
    assert.equal(loop.slices, 2);
    await loop.stop();
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
