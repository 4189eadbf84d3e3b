import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tuple } from '../../../api/tuple.js';
import { AnchorRoots } from './anchor-roots.js';
import { InstanceTuple } from './instance-tuple.js';
import { streamInfo } from './plan-view.js';
import { InputStream } from './stream-stats.js';

const input = new InputStream(streamInfo('s', 'default', ['v'], false));
const tuple = (record: number[] | null): InstanceTuple => new InstanceTuple(input, 1, [0], record, { at: 1 });
const rootsOf = (anchors: AnchorRoots): number[] => anchors.roots.slice(anchors.from, anchors.to);

describe('AnchorRoots', () => {
  it("lends a single anchor's roots without a copy", () => {
    const anchors = new AnchorRoots();
    const record = [7, 8, 1, 2, 3, 1, 4, 5];
    assert.equal(anchors.collect(tuple(record)), true);
    assert.equal(anchors.roots, record);
    assert.deepEqual(rootsOf(anchors), [1, 2, 3, 1, 4, 5]);
    assert.equal(anchors.collect([tuple(record)]), true);
    assert.deepEqual(rootsOf(anchors), [1, 2, 3, 1, 4, 5]);
  });

  it('unites the roots of several anchors, each (task, key) once', () => {
    const anchors = new AnchorRoots();
    assert.equal(anchors.collect([tuple([0, 0, 1, 2, 3, 1, 4, 5]), tuple([0, 0, 1, 4, 5, 2, 4, 5, 1, 4, 6]), tuple(null)]), true);
    assert.deepEqual(rootsOf(anchors), [1, 2, 3, 1, 4, 5, 2, 4, 5, 1, 4, 6]);
    assert.equal(anchors.collect([tuple([0, 0, 9, 9, 9]), tuple([0, 0, 9, 9, 9])]), true);
    assert.deepEqual(rootsOf(anchors), [9, 9, 9], 'the buffer is reused');
  });

  it('finds no roots in untracked tuples, keyed tuples without roots, or tuples of another making', () => {
    const anchors = new AnchorRoots();
    const foreign = { values: [1] } as unknown as Tuple;
    assert.equal(anchors.collect(tuple(null)), false);
    assert.equal(anchors.collect(tuple([5, 6])), false);
    assert.equal(anchors.collect(foreign), false);
    assert.equal(anchors.collect([]), false);
    assert.equal(anchors.collect([tuple(null), foreign]), false);
  });
});
