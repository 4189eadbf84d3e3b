import fc from 'fast-check';

/** Strings of any UTF-16 units, lone surrogates included. */
export const anyString = (): fc.Arbitrary<string> => fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((units) => String.fromCharCode(...units));

/** Every kind of value the egret serializer takes, nested a few levels. */
export const egretValue = (): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 30 }),
        anyString(),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.bigInt(),
        fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
        fc.uint8Array({ maxLength: 40 }),
      ),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(anyString(), tie('value'), { maxKeys: 5, noNullPrototype: true }),
    ),
  })).value;
