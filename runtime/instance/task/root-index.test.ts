import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RootIndex } from './root-index.js';

describe('RootIndex', () => {
  it('behaves as a Map under any sequence of sets and deletes, colliding keys included (property)', () => {
    // Keys from a small range, in a small table: long probe runs that wrap around the end of the table.
    const op = fc.tuple(fc.constantFrom('set', 'delete'), fc.integer({ min: 0, max: 200 }), fc.nat(1000));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const index = new RootIndex(16);
        const model = new Map<number, number>();
        for (const [kind, key, value] of ops) {
          if (kind === 'set') {
            index.set(key, value);
            model.set(key, value);
          } else {
            assert.equal(index.delete(key), model.delete(key));
          }
          assert.equal(index.size, model.size);
        }
        for (let key = 0; key <= 200; key++) assert.equal(index.get(key), model.get(key) ?? -1, `key ${key}`);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps keys that share a home cell reachable after one of them is deleted, across the end of the table', () => {
    const index = new RootIndex(16);
    // 15, 31 and 47 all start at cell 15; 31 and 47 wrap to cells 0 and 1, and 0 (home 0) goes after them.
    for (const key of [15, 31, 47, 0]) index.set(key, key + 1);
    assert.equal(index.delete(15), true);
    assert.deepEqual([31, 47, 0, 15].map((key) => index.get(key)), [32, 48, 1, -1]);
    index.clear();
    assert.equal(index.size, 0);
    assert.equal(index.get(31), -1);
  });

  it('grows past its first capacity', () => {
    const index = new RootIndex(16);
    for (let key = 0; key < 10_000; key++) index.set(key * 7919, key);
    assert.equal(index.size, 10_000);
    for (let key = 0; key < 10_000; key++) assert.equal(index.get(key * 7919), key);
  });
});
