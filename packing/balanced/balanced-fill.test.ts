import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GiB } from '../../api/byte-amount.js';
import { containerLimitsOf, type ContainerLimits } from '../../core/packing/container-limits.js';
import { readTopologyConfig } from '../../api/topology-config.js';
import { Resource } from '../../core/spi/resource.js';
import { balancedFill, fillWith, WEIGHT_EXPONENTS, type FillDemand } from './balanced-fill.js';

/** 8 cores, 8 GiB, 8 GiB and 6 instances usable (capacity 9, 9 GiB, 9 GiB, 1 of each as padding). */
const limits: ContainerLimits = containerLimitsOf(
  readTopologyConfig({ 'topology.container.cpu': 9, 'topology.container.ram': 9 * GiB, 'topology.container.disk': 9 * GiB, 'topology.container.max.instances': 6 }),
  new Resource(1, GiB, GiB),
);

const demandOf = (cpu: number, ramGiB: number, count: number): FillDemand => ({ resource: new Resource(cpu, ramGiB * GiB, GiB), count });

describe('balancedFill', () => {
  it('fills the given containers first, in order, before opening any', () => {
    // Container 0 is full in cpu; container 1 has 4 cores and 6 GiB left: room for two of the 2-core instances.
    const loads = [
      { cpu: 8, ram: 0, disk: 0, size: 1 },
      { cpu: 4, ram: 2 * GiB, disk: 0, size: 1 },
    ];
    const outcome = balancedFill(loads, [demandOf(2, 1, 3)], limits);
    assert.deepEqual([...outcome.positions], [1, 1, 2]);
    assert.equal(outcome.opened, 1);
  });

  it('keeps the exponent that opens the fewest containers, the earliest on a tie', () => {
    const demand = fc.record({ cpu: fc.integer({ min: 1, max: 16 }).map((q) => q / 2), ram: fc.integer({ min: 1, max: 8 }), count: fc.integer({ min: 0, max: 9 }) });
    fc.assert(
      fc.property(fc.array(demand, { minLength: 1, maxLength: 5 }), (ds) => {
        const demands = ds.map((d) => demandOf(d.cpu, d.ram, d.count));
        const each = WEIGHT_EXPONENTS.map((exponent) => fillWith([], demands, limits, exponent).opened);
        const best = balancedFill([], demands, limits);
        assert.equal(best.opened, Math.min(...each));
        assert.equal(best.exponent, WEIGHT_EXPONENTS[each.indexOf(best.opened)]);
        assert.equal(best.kinds.length, ds.reduce((sum, d) => sum + d.count, 0));
      }),
      { numRuns: 50 },
    );
  });

  it('throws a RangeError rather than open containers forever for an instance that fits none', () => {
    assert.throws(() => balancedFill([], [demandOf(9, 1, 1)], limits), RangeError);
  });
});
