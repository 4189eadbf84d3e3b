import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { anyString, egretValue } from '../../../test/instance/value-arbitraries.js';
import { WireFormatError } from '../codec/wire-reader.js';
import { EgretSerializer } from './egret-serializer.js';
import { UnserializableValueError } from './unserializable-value-error.js';

const serializer = new EgretSerializer();
const roundTrip = (value: unknown): unknown => serializer.deserialize(serializer.serialize(value));
const hex = (value: unknown): string => Buffer.from(serializer.serialize(value)).toString('hex');

describe('egret serializer', () => {
  it('round-trips every supported kind of value', () => {
    const values: unknown[] = [
      '',
      'word',
      'héllo wörld',
      '日本語',
      '😀 pairs',
      'lone \ud800 high',
      'lone \udc00 low',
      '\udbff',
      'x'.repeat(70),
      `${'y'.repeat(100)}é`,
      0,
      -0,
      1,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      1.5,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
      true,
      false,
      null,
      undefined,
      0n,
      1n,
      -1n,
      255n,
      -256n,
      2n ** 64n,
      -(2n ** 200n),
      Buffer.from([]),
      Buffer.from([1, 2, 3]),
      new Uint8Array([4, 5, 6]),
      [],
      [1, 'two', [3n, null], { four: undefined }],
      { word: 'w', count: 3, nested: { list: [Buffer.from('b'), new Uint8Array(2)] } },
      { 'not an identifier': 1, '': 2 },
    ];
    for (const value of values) assert.deepEqual(roundTrip(value), value, `round trip of ${String(value)}`);
  });

  it('keeps -0 apart from 0 and writes every NaN the same way', () => {
    assert.ok(Object.is(roundTrip(-0), -0));
    const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff00000]).buffer)[0];
    assert.ok(Number.isNaN(otherNaN));
    assert.equal(hex(otherNaN), hex(NaN));
  });

  it('reads holes of arrays as undefined and a __proto__ key as a key', () => {
    // eslint-disable-next-line no-sparse-arrays
    assert.deepEqual(roundTrip([1, , 3]), [1, undefined, 3]);
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const copy = roundTrip(value) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.deepEqual(Object.keys(copy), ['__proto__']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value, { polluted: true });
  });

  it('takes objects without a prototype, and reads them back as plain objects', () => {
    const value = Object.assign(Object.create(null) as object, { a: 1 });
    assert.deepEqual({ ...(roundTrip(value) as object) }, { a: 1 });
  });

  it('is compact: a string costs one byte more than its UTF-8, a small integer two bytes', () => {
    assert.equal(serializer.serialize('abcdefghijklmnopqrst').length, 21);
    assert.equal(serializer.serialize('é').length, 3);
    assert.equal(serializer.serialize(42).length, 2);
    assert.equal(serializer.serialize(-1).length, 2);
    assert.equal(serializer.serialize(0.5).length, 9);
    assert.equal(serializer.serialize(true).length, 1);
    assert.equal(serializer.serialize(['ab', 1]).length, 1 + 1 + 1 + 1 + 2 + 2);
  });

  it('is deterministic: equal objects built in any key order give identical bytes', () => {
    assert.equal(hex({ a: 1, b: [2, { c: 3, d: 4 }] }), hex({ b: [2, { d: 4, c: 3 }], a: 1 }));
    fc.assert(
      fc.property(fc.dictionary(anyString(), egretValue(), { maxKeys: 6 }), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        assert.equal(hex(reversed), hex(record));
      }),
    );
  });

  it('round-trips random values and writes the copy identically (property)', () => {
    fc.assert(
      fc.property(egretValue(), (value) => {
        const bytes = serializer.serialize(value);
        const copy = serializer.deserialize(bytes);
        assert.deepEqual(copy, value);
        assert.deepEqual(serializer.serialize(copy), bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('reads a value from a view into a larger buffer', () => {
    const bytes = serializer.serialize({ k: 'v' });
    const larger = new Uint8Array(bytes.length + 10);
    larger.set(bytes, 5);
    assert.deepEqual(serializer.deserialize(larger.subarray(5, 5 + bytes.length)), { k: 'v' });
  });

  it('refuses functions, symbols and class instances, saying what and where', () => {
    class Point {
      x = 1;
    }
    const cases: Array<[unknown, RegExp]> = [
      [() => 1, /^a function cannot be serialized \(the egret serializer takes strings/],
      [function named() {}, /^a function \(named\) cannot/],
      [Symbol('s'), /^a symbol \(s\) cannot/],
      [new Point(), /^an instance of class Point cannot/],
      [new Map(), /^a Map cannot/],
      [new Date(0), /^a Date cannot/],
      [new Float64Array(1), /^a Float64Array \(only Buffer and Uint8Array are taken as bytes\) cannot/],
      [{ a: [1, { 'b c': () => 0 }] }, /^a function (\(b c\) )?at \.a\[1\]\["b c"\] cannot be serialized/],
    ];
    for (const [value, message] of cases) {
      assert.throws(() => serializer.serialize(value), (error: unknown) => error instanceof UnserializableValueError && message.test(error.message));
    }
  });

  it('refuses a cycle instead of overflowing the stack', () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    assert.throws(() => serializer.serialize(cycle), /nested deeper than 1000 levels \(a cycle\?\) at \[0\]\[0\]/);
  });

  it('throws WireFormatError, and nothing else, for bytes it did not write (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        try {
          serializer.deserialize(bytes);
        } catch (error) {
          assert.ok(error instanceof WireFormatError, String(error));
        }
      }),
      { numRuns: 2000 },
    );
    assert.throws(() => serializer.deserialize(new Uint8Array([0x0d, 0xff, 0xff, 0x03])), /array of \d+ items in 0 bytes/);
    assert.throws(() => serializer.deserialize(new Uint8Array([0x02, 0x02])), /1 bytes after the value/);
    assert.throws(() => serializer.deserialize(new Uint8Array([0x7f])), /unknown tag 0x7f/);
  });
});
