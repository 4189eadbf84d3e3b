import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB } from '../../api/byte-amount.js';
import { Resource } from './resource.js';

describe('Resource', () => {
  const a = new Resource(1.5, 2 * GiB, GiB);
  const b = new Resource(0.5, GiB, 3 * GiB);

  it('adds, subtracts, multiplies and takes maxima and minima per dimension', () => {
    assert.deepEqual(a.plus(b).toJSON(), { cpu: 2, ram: 3 * GiB, disk: 4 * GiB });
    assert.deepEqual(a.subtract(b).toJSON(), { cpu: 1, ram: GiB, disk: -2 * GiB });
    assert.deepEqual(a.multiply(2).toJSON(), { cpu: 3, ram: 4 * GiB, disk: 2 * GiB });
    assert.deepEqual(a.max(b).toJSON(), { cpu: 1.5, ram: 2 * GiB, disk: 3 * GiB });
    assert.deepEqual(a.min(b).toJSON(), { cpu: 0.5, ram: GiB, disk: GiB });
  });

  it('fits within a capacity in every dimension, tolerating fractional-core rounding', () => {
    assert.equal(b.fits(new Resource(1, GiB, 3 * GiB)), true);
    assert.equal(b.fits(new Resource(1, GiB, 3 * GiB - 1)), false);
    assert.equal(new Resource(0.1 + 0.2, 0, 0).fits(new Resource(0.3, 0, 0)), true);
    assert.deepEqual(a.exceeds(b), ['cpu', 'ram']);
  });

  it('refuses amounts that are not numbers of cores and whole bytes', () => {
    assert.throws(() => new Resource(Number.NaN, 0, 0), RangeError);
    assert.throws(() => new Resource(1, 1.5, 0), RangeError);
  });

  it('prints for people', () => {
    assert.equal(a.toString(), 'cpu 1.5, ram 2 GiB, disk 1 GiB');
    assert.equal(a.equals(new Resource(1.5, 2 * GiB, GiB)), true);
  });
});
