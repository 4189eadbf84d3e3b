import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GiB } from '../../api/byte-amount.js';
import { containerLimitsOf } from '../../core/packing/container-limits.js';
import { Resource } from '../../core/spi/resource.js';
import { StrictRoundRobin, type Deal } from './strict-round-robin.js';

describe('StrictRoundRobin', () => {
  it('tells, count after count, what dealing instance by instance tells (property)', () => {
    const deals = fc.array(
      fc.record({
        resource: fc.record({ cpu: fc.integer({ min: 1, max: 12 }), ram: fc.integer({ min: 1, max: 8 }), disk: fc.integer({ min: 0, max: 4 }) }).map((r) => new Resource(r.cpu / 4, (r.ram * GiB) / 4, (r.disk * GiB) / 4)),
        count: fc.integer({ min: 1, max: 30 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    const limits = fc.record({ cpu: fc.integer({ min: 4, max: 12 }), ram: fc.integer({ min: 4, max: 12 }), max: fc.integer({ min: 1, max: 10 }) }).map((l) =>
      containerLimitsOf({ containerCpu: l.cpu, containerRam: l.ram * GiB, containerDisk: 8 * GiB, containerMaxInstances: l.max } as never, new Resource(1, GiB, GiB)),
    );
    fc.assert(
      fc.property(deals, limits, (ds, ls) => {
        const deal = new StrictRoundRobin(ds, ls);
        const total = ds.reduce((sum, d) => sum + d.count, 0);
        for (let n = 1; n <= total; n++) assert.equal(deal.fits(n), dealOneByOne(ds, n, ls), `${n} containers`);
      }),
    );
  });
});

/** The deal read literally: each instance into the next container, failing at the first that does not fit. */
function dealOneByOne(deals: readonly Deal[], n: number, limits: ReturnType<typeof containerLimitsOf>): boolean {
  const used = Array.from({ length: n }, () => ({ load: Resource.EMPTY, count: 0 }));
  let position = 0;
  for (const { resource, count } of deals) {
    for (let i = 0; i < count; i++, position++) {
      const container = used[position % n] as { load: Resource; count: number };
      container.load = container.load.plus(resource);
      container.count++;
      if (container.count > limits.maxInstances || !container.load.fits(limits.usable)) return false;
    }
  }
  return true;
}
