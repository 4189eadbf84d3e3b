import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PendingRoots } from './pending-roots.js';
import { RootGenerator } from './root-generator.js';
import { OutputStats } from './stream-stats.js';

/** A generator that returns `script` first, then what a seeded generator would. */
class ScriptedGenerator extends RootGenerator {
  constructor(private readonly script: number[]) {
    super(new Uint8Array(16).fill(7));
  }
  override next(): number {
    return this.script.length > 0 ? this.script.shift()! : super.next();
  }
}

function harness(generator?: RootGenerator) {
  const roots = new PendingRoots(4, generator);
  const stats = new OutputStats();
  const acked: unknown[] = [];
  const failed: unknown[] = [];
  const emit = (messageId: unknown, now: number): [number, number] => {
    const [task, low, high] = roots.draw();
    assert.equal(task, 4);
    roots.track(messageId, stats, now);
    return [low!, high!];
  };
  const deliver = (now: number) =>
    roots.deliver(
      now,
      (id) => acked.push(id),
      (id) => failed.push(id),
    );
  return { roots, stats, acked, failed, emit, deliver };
}

describe('PendingRoots', () => {
  it('draws non-zero roots whose map keys differ from every pending one', () => {
    // 0/0 is refused, and so is a low half equal to a pending one's in its low 30 bits.
    const { roots, emit } = harness(new ScriptedGenerator([0, 0, 5, 1, 5 | (1 << 30), 2, 6, 2]));
    assert.deepEqual(emit('a', 0), [5, 1]);
    assert.deepEqual(emit('b', 0), [6, 2]);
    assert.equal(roots.size, 2);
  });

  it('acks and fails the roots the stream manager completes, with their message ids, counts and complete latency', () => {
    const { roots, stats, acked, failed, emit, deliver } = harness();
    const a = emit('a', 10);
    const b = emit({ id: 'b' }, 12);
    const c = emit('c', 13);
    roots.complete(true, ...a);
    roots.complete(false, ...c);
    roots.complete(true, 123, 456);
    // Same map key, another root: ignored.
    roots.complete(true, b[0], b[1] ^ 1);
    assert.equal(roots.hasCompletions, true);
    deliver(20);
    assert.deepEqual(acked, ['a']);
    assert.deepEqual(failed, ['c']);
    assert.equal(roots.size, 1);
    assert.equal(roots.hasCompletions, false);
    assert.deepEqual([stats.ackCount, stats.failCount, stats.completeMs, stats.completeSamples], [1, 1, 10, 1]);
    roots.complete(true, ...a);
    roots.complete(true, ...b);
    deliver(30);
    assert.deepEqual(acked, ['a', { id: 'b' }], 'an ack for a root no longer pending is ignored');
    assert.equal(roots.size, 0);
  });

  it('expires the roots emitted before the cutoff, oldest first, and ignores their late acks', () => {
    const { roots, stats, acked, failed, emit, deliver } = harness();
    const onFail = (id: unknown): void => void failed.push(id);
    const first = emit(1, 100);
    emit(2, 150);
    emit(3, 200);
    roots.expire(150, onFail);
    assert.deepEqual(failed, [1]);
    roots.expire(201, onFail);
    assert.deepEqual(failed, [1, 2, 3]);
    assert.equal(stats.failCount, 3);
    roots.complete(true, ...first);
    deliver(300);
    assert.deepEqual(acked, []);
  });

  it('matches every completion to its root whatever the order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.nat(), { minLength: 300, maxLength: 300 }), (count, order) => {
        const { roots, acked, emit, deliver } = harness();
        const emitted = Array.from({ length: count }, (_, i) => emit(i, i));
        const shuffled = emitted.map((root, i) => ({ root, i, sort: order[i]! })).sort((x, y) => x.sort - y.sort);
        for (const { root } of shuffled) roots.complete(true, ...root);
        deliver(1000);
        assert.deepEqual(
          acked,
          shuffled.map(({ i }) => i),
        );
        assert.equal(roots.size, 0);
      }),
      { numRuns: 100 },
    );
  });

  it('queues more completions than its first capacity, and is empty again after each delivery', () => {
    const { roots, acked, failed, emit, deliver } = harness();
    for (let round = 0; round < 2; round++) {
      const emitted = Array.from({ length: 5000 }, (_, i) => emit(i, i));
      emitted.forEach((root, i) => roots.complete(i % 7 !== 0, ...root));
      deliver(10_000);
      assert.equal(roots.hasCompletions, false);
      assert.equal(roots.size, 0);
    }
    assert.equal(acked.length + failed.length, 10_000);
    assert.equal(failed.length, 2 * Math.ceil(5000 / 7));
  });
});

describe('RootGenerator', () => {
  it('is seeded from the OS: two generators differ', () => {
    const a = new RootGenerator();
    const b = new RootGenerator();
    assert.notDeepEqual([a.next(), a.next(), a.next()], [b.next(), b.next(), b.next()]);
  });

  it('spreads its values over all 32 bits', () => {
    const generator = new RootGenerator(new Uint8Array(16));
    const seen = new Set<number>();
    let ones = 0;
    for (let i = 0; i < 10_000; i++) {
      const value = generator.next();
      assert.ok(Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31);
      seen.add(value);
      for (let bit = 0; bit < 32; bit++) ones += (value >>> bit) & 1;
    }
    // 10 000 draws from 2^32 values: a repeat or two is expected (the birthday bound).
    assert.ok(seen.size >= 9_990, `${seen.size} distinct values`);
    assert.ok(Math.abs(ones / (10_000 * 32) - 0.5) < 0.01, `${ones} one bits`);
  });
});
