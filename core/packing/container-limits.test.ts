import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB, MiB } from '../../api/byte-amount.js';
import { readTopologyConfig } from '../../api/topology-config.js';
import { PackingError } from '../spi/packing.js';
import { Resource } from '../spi/resource.js';
import { assertInstancesFit, containerLimitsOf, containersLowerBound, instanceFitProblem, requiredOf } from './container-limits.js';
import { failsWith } from './packing-test-fixtures.js';

const ONE = new Resource(1, GiB, GiB);
const limitsOf = (config: Record<string, unknown> = {}, instance = ONE) => containerLimitsOf(readTopologyConfig(config as never), instance);

describe('container limits', () => {
  it('default to ten default instances, with the fixed padding where 10 % is less', () => {
    const limits = limitsOf();
    assert.deepEqual(limits.capacity, new Resource(10, 10 * GiB, 10 * GiB));
    assert.deepEqual(limits.padding, new Resource(1, GiB, GiB));
    assert.deepEqual(limits.usable, new Resource(9, 9 * GiB, 9 * GiB));
    assert.equal(limits.maxInstances, 10);
  });

  it('take the capacity from topology.container.*, the instance limit and the padding percentage', () => {
    const limits = limitsOf({ 'topology.container.cpu': 8, 'topology.container.ram': '16GiB', 'topology.container.max.instances': 4, 'topology.container.padding.percentage': 25 });
    // disk: unset, so 4 default instances (4 GiB); 25 % of it is 1 GiB, the fixed floor.
    assert.deepEqual(limits.capacity, new Resource(8, 16 * GiB, 4 * GiB));
    assert.deepEqual(limits.padding, new Resource(2, 4 * GiB, GiB));
    assert.equal(limits.maxInstances, 4);
  });

  it('say why an instance fits no container: too little RAM, or more than an empty container can use', () => {
    const limits = limitsOf({ 'topology.container.max.instances': 4 });
    assert.equal(instanceFitProblem('s', new Resource(3, 3 * GiB, 3 * GiB), limits), undefined);
    assert.match(instanceFitProblem('s', new Resource(1, 191 * MiB, GiB), limits) ?? '', /'s' asks for 200278016 bytes of RAM per instance; instances need at least 192 MiB/);
    assert.equal(instanceFitProblem('s', new Resource(1, 192 * MiB, GiB), limits), undefined);
    assert.match(instanceFitProblem('b', new Resource(3.5, 4 * GiB, GiB), limits) ?? '', /an instance of 'b' .* does not fit an empty container.*; topology\.container\.cpu and topology\.container\.ram must be larger$/);
    assert.throws(
      () => assertInstancesFit('t', new Map([['s', ONE], ['b', new Resource(4, GiB, GiB)]]), limits),
      failsWith(PackingError, 'PACKING_INSUFFICIENT_RESOURCES', "cannot pack topology 't'", "'b'", 'topology.container.cpu'),
    );
  });

  it('require the instances plus padding, cpu rounded up to whole cores but not above a fractional capacity', () => {
    const limits = limitsOf();
    assert.deepEqual(requiredOf(new Resource(2.5, 3 * GiB, 0), limits), new Resource(4, 4 * GiB, GiB));
    assert.deepEqual(requiredOf(new Resource(0.1 + 0.2 + 2.7, GiB, GiB), limits).cpu, 4);
    const fractional = limitsOf({ 'topology.container.cpu': 3.7 });
    assert.equal(requiredOf(new Resource(2.5, GiB, GiB), fractional).cpu, 3.7);
  });

  it('bound the number of containers from below in every dimension, the instance limit included', () => {
    const limits = limitsOf({ 'topology.container.max.instances': 4 }); // usable: 3 cores, 3 GiB, 3 GiB, 4 instances
    assert.equal(containersLowerBound(new Resource(10, 11 * GiB, 7 * GiB), 7, limits), 4);
    assert.equal(containersLowerBound(new Resource(1, GiB, GiB), 9, limits), 3);
    assert.equal(containersLowerBound(new Resource(0.1 * 30, 0, 0), 1, limits), 1, 'rounding noise does not add a container');
    assert.equal(containersLowerBound(Resource.EMPTY, 0, limits), 0);
    assert.equal(containersLowerBound(new Resource(1, GiB, GiB), 1, limitsOf({ 'topology.container.cpu': 0.5 })), Number.POSITIVE_INFINITY);
  });
});
