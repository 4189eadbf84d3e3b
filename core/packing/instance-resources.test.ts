import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { BYTE_AMOUNT_EXPECTATION, GiB, MiB } from '../../api/byte-amount.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { Resource } from '../spi/resource.js';
import { defaultInstanceResource, instanceResourceConfigShape, instanceResourcesOf } from './instance-resources.js';

const schema = z.object({ ...instanceResourceConfigShape });

describe('instance resources', () => {
  it('defaults to 1 core, 1 GiB RAM and 1 GiB disk', () => {
    assert.deepEqual(defaultInstanceResource(schema.parse({})), new Resource(1, GiB, GiB));
  });

  it('accepts bytes as numbers or size strings', () => {
    const config = schema.parse({ 'egret.resources.instance.cpu': 0.25, 'egret.resources.instance.ram': '512MiB', 'egret.resources.instance.disk': 2048 });
    assert.deepEqual(defaultInstanceResource(config), new Resource(0.25, 512 * MiB, 2048));
  });

  it('says what was expected for a bad value', () => {
    const result = schema.safeParse({ 'egret.resources.instance.cpu': 0, 'egret.resources.instance.ram': 'lots', 'egret.resources.instance.disk': true });
    assert.equal(result.success, false);
    const messages = Object.fromEntries(result.error?.issues.map((i) => [String(i.path[0]), i.message]) ?? []);
    assert.deepEqual(messages, {
      'egret.resources.instance.cpu': 'expected a number of cores > 0',
      'egret.resources.instance.ram': `expected ${BYTE_AMOUNT_EXPECTATION}`,
      'egret.resources.instance.disk': `expected ${BYTE_AMOUNT_EXPECTATION}`,
    });
  });

  it('gives each component its stated resources, defaults filling the rest', () => {
    const t: TopologyDefinition = {
      name: 't',
      spouts: [{ kind: 'spout', name: 's', parallelism: 1, resources: { ram: 3 * GiB }, outputs: [], config: {} }],
      bolts: [{ kind: 'bolt', name: 'b', parallelism: 2, resources: { cpu: 2, disk: 0 }, outputs: [], config: {}, inputs: [] }],
      config: {},
    };
    const resources = instanceResourcesOf(t, schema.parse({ 'egret.resources.instance.cpu': 0.5 }));
    assert.deepEqual([...resources.keys()], ['s', 'b']);
    assert.deepEqual(resources.get('s'), new Resource(0.5, 3 * GiB, GiB));
    assert.deepEqual(resources.get('b'), new Resource(2, GiB, 0));
  });
});
