import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byCodeUnit } from './code-unit-order.js';

describe('byCodeUnit', () => {
  it('sorts as sort() without a comparator does, upper case before lower case', () => {
    const keys = ['topology.workers', 'egret.b', 'Topology', 'egret.a', 'egret.a', '_x', 'topology.acker'];
    assert.deepEqual([...keys].sort(byCodeUnit), [...keys].sort());
    assert.equal(byCodeUnit('a', 'a'), 0);
    assert.ok(byCodeUnit('B', 'a') < 0);
  });
});
