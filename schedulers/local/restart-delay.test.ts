import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartDelay } from './restart-delay.js';

describe('RestartDelay', () => {
  it('doubles with each quick death up to the maximum', () => {
    const delay = new RestartDelay({ minMs: 100, maxMs: 1000 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => delay.after(10)), [100, 200, 400, 800, 1000, 1000]);
  });

  it('starts over after a healthy run, and after a reset', () => {
    const delay = new RestartDelay({ minMs: 100, maxMs: 1000 });
    delay.after(10);
    delay.after(10);
    assert.equal(delay.after(1000), 100, 'a run as long as the maximum delay was healthy');
    assert.equal(delay.after(10), 200);
    delay.reset();
    assert.equal(delay.after(10), 100);
  });

  it('refuses bounds that cannot hold', () => {
    assert.throws(() => new RestartDelay({ minMs: 0, maxMs: 10 }), RangeError);
    assert.throws(() => new RestartDelay({ minMs: 20, maxMs: 10 }), RangeError);
  });
});
