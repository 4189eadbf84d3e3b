import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BinaryHeap } from './binary-heap.js';
import { FitScan } from './fit-scan.js';

describe('FitScan', () => {
  it('finds the first accepting position from a start, asking each refusing one only once', () => {
    const room = [0, 2, 0, 1];
    const asked: number[] = [];
    const accepts = (i: number) => (asked.push(i), (room[i] as number) > 0);
    const scan = new FitScan(room.length);
    assert.equal(scan.firstFrom(0, accepts), 1);
    room[1] = 0;
    assert.equal(scan.firstFrom(0, accepts), 3);
    room[3] = 0;
    assert.equal(scan.firstFrom(0, accepts), -1);
    assert.deepEqual(asked, [0, 1, 1, 2, 3, 3]);
  });

  it('wraps around when asked, and takes containers added at the end', () => {
    const room = [1, 0, 0];
    const scan = new FitScan(room.length);
    const accepts = (i: number) => (room[i] as number) > 0;
    assert.equal(scan.firstFrom(1, accepts), -1);
    assert.equal(scan.firstFrom(1, accepts, true), 0);
    room.push(1);
    scan.grow();
    assert.equal(scan.firstFrom(1, accepts), 3);
    scan.reset(room.length);
    room[1] = 1;
    assert.equal(scan.firstFrom(1, accepts), 1, 'reset forgets refusals');
  });

  it('agrees with a plain scan while containers only fill up (property)', () => {
    const scenario = fc.record({
      room: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 20 }),
      starts: fc.array(fc.nat(), { maxLength: 40 }),
      wrap: fc.boolean(),
    });
    fc.assert(
      fc.property(scenario, ({ room, starts, wrap }) => {
        const scan = new FitScan(room.length);
        const accepts = (i: number) => (room[i] as number) > 0;
        for (const s of starts) {
          const start = s % room.length;
          const order = [...room.keys()].filter((i) => i >= start).concat(wrap ? [...room.keys()].filter((i) => i < start) : []);
          const expected = order.find(accepts) ?? -1;
          assert.equal(scan.firstFrom(start, accepts, wrap), expected);
          if (expected >= 0) room[expected] = (room[expected] as number) - 1;
        }
      }),
    );
  });
});

describe('BinaryHeap', () => {
  it('pops in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (values) => {
        const heap = new BinaryHeap<number>((a, b) => a < b);
        for (const v of values) heap.push(v);
        assert.equal(heap.size, values.length);
        const popped: number[] = [];
        for (let v = heap.pop(); v !== undefined; v = heap.pop()) popped.push(v);
        assert.deepEqual(popped, [...values].sort((a, b) => a - b));
      }),
    );
  });
});
