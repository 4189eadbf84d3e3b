import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Config, layerOf } from './config.js';

describe('Config', () => {
  it('orders layers by the precedence of their source, whatever order they are added in', () => {
    const cli = layerOf({ kind: 'command-line' }, { k: 'cli' });
    const topology = layerOf({ kind: 'topology', file: '/t.ts' }, { k: 'topology', t: 1 });
    const fileA = layerOf({ kind: 'file', file: '/a.yaml' }, { k: 'a' });
    const fileB = layerOf({ kind: 'file', file: '/b.yaml' }, { k: 'b' });
    const defaults = layerOf({ kind: 'default' }, { k: 'default' });
    const config = new Config([cli, fileA]).withLayer(topology).withLayer(fileB).withLayer(defaults);
    assert.equal(config.get('k'), 'cli');
    assert.deepEqual(
      config.entry('k')?.overridden.map((o) => o.value),
      ['topology', 'b', 'a', 'default'],
    );
    assert.equal(config.describeSource('t'), 'topology /t.ts');
    assert.equal(config.describeSource('missing'), 'unset');
  });

  it('lists entries sorted by key', () => {
    const config = new Config([layerOf({ kind: 'command-line' }, { b: 1, a: 2 })]);
    assert.deepEqual(config.entries().map((e) => e.key), ['a', 'b']);
    assert.deepEqual(config.toMap(), { a: 2, b: 1 });
  });
});
