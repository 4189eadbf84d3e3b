import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfigProperties } from './config-property.js';

function values(...properties: string[]): Record<string, unknown> {
  return Object.fromEntries([...parseConfigProperties(properties).values].map(([k, v]) => [k, v.value]));
}

describe('parseConfigProperties', () => {
  it('reads values as YAML scalars and flow lists', () => {
    assert.deepEqual(values('a=2', 'b=true', 'c=1.5', 'd=hello world', 'e=[x, y]', "f='2'", 'g=', 'h=a=b'), {
      a: 2,
      b: true,
      c: 1.5,
      d: 'hello world',
      e: ['x', 'y'],
      f: '2',
      g: '',
      h: 'a=b',
    });
  });

  it('keeps text that would read as a map as it is', () => {
    assert.deepEqual(values('url=http://host:80/x', 'k=a: b'), { url: 'http://host:80/x', k: 'a: b' });
  });

  it('lets the last of repeated keys win', () => {
    assert.deepEqual(values('a=1', 'a=2'), { a: 2 });
  });

  it('rejects arguments that are not key=value, naming the argument', () => {
    assert.throws(() => parseConfigProperties(['topology.stmgrs']), { code: 'CONFIG_BAD_PROPERTY', message: /'topology\.stmgrs': expected key=value/ });
    assert.throws(() => parseConfigProperties(['=2']), { code: 'CONFIG_BAD_PROPERTY' });
    assert.throws(() => parseConfigProperties(['a b=2']), { code: 'CONFIG_BAD_PROPERTY', message: /is not a config key/ });
  });
});
