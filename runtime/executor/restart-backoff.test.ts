import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartBackoff } from './restart-backoff.js';

describe('RestartBackoff', () => {
  it('doubles from min per quick death, caps at max, and resets after a long enough run', () => {
    const backoff = new RestartBackoff({ minMs: 100, maxMs: 1000 });
    assert.deepEqual([10, 10, 10, 10, 10, 10].map((run) => backoff.next(run)), [100, 200, 400, 800, 1000, 1000]);
    assert.equal(backoff.next(1000), 100, 'a run as long as the longest delay counts as healthy');
    assert.equal(backoff.next(5), 200);
    backoff.reset();
    assert.equal(backoff.next(5), 100, 'after a reset');
  });

  it('takes its own reset threshold', () => {
    const backoff = new RestartBackoff({ minMs: 10, maxMs: 80, resetAfterMs: 5000 });
    assert.deepEqual([100, 100, 4999, 5000].map((run) => backoff.next(run)), [10, 20, 40, 10]);
  });

  it('refuses a min above max or a zero min', () => {
    assert.throws(() => new RestartBackoff({ minMs: 500, maxMs: 100 }), /0 < min \(500\) <= max \(100\)/);
    assert.throws(() => new RestartBackoff({ minMs: 20, maxMs: 10 }), RangeError);
    assert.throws(() => new RestartBackoff({ minMs: 0, maxMs: 100 }), /min/);
    assert.throws(() => new RestartBackoff({ minMs: 0, maxMs: 10 }), RangeError);
  });
});
