import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeFrame, FrameError, FrameReader, frameLength, NO_REQUEST_ID } from './frames.js';

describe('frames', () => {
  it("lay out size, type, request id and payload as Heron's packets do (big-endian)", () => {
    const frame = encodeFrame('a.B', Buffer.from([7, 8]), Buffer.alloc(32, 1));
    assert.equal(frame.length, frameLength(3, 2));
    assert.deepEqual([...frame.subarray(0, 11)], [0, 0, 0, frame.length - 4, 0, 0, 0, 3, 0x61, 0x2e, 0x42]);
    assert.deepEqual([...frame.subarray(11, 43)], Array(32).fill(1));
    assert.deepEqual([...frame.subarray(43)], [0, 0, 0, 2, 7, 8]);
  });

  it('split a stream however it is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('x.Y', 'heron.proto.system.HeronTupleSet'), fc.uint8Array({ maxLength: 300 })), { maxLength: 20 }), fc.array(fc.nat(50), { minLength: 1 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map(([type, payload]) => encodeFrame(type, payload)));
        const reader = new FrameReader(1 << 20);
        const seen: Array<[string, number[]]> = [];
        let offset = 0;
        for (let i = 0; offset < stream.length; i++) {
          const next = Math.min(stream.length, offset + 1 + (cuts[i % cuts.length] ?? 0));
          for (const frame of reader.push(stream.subarray(offset, next))) seen.push([frame.messageType, [...frame.payload]]);
          offset = next;
        }
        assert.deepEqual(seen, messages.map(([type, payload]) => [type, [...payload]]));
        assert.equal(reader.bufferedBytes, 0);
      }),
    );
  });

  it('refuse an oversized frame before reading it, and inconsistent lengths', () => {
    assert.throws(() => new FrameReader(100).push(encodeFrame('a', Buffer.alloc(200))), FrameError);
    const bad = encodeFrame('a', Buffer.alloc(4));
    bad.writeUInt32BE(9, bad.length - 8);
    assert.throws(() => new FrameReader(100).push(bad), /does not match/);
    const zeroType = Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.throws(() => new FrameReader(100).push(zeroType), /type length 0/);
  });

  it('never throw anything but FrameError on random bytes', () => {
    for (let i = 0; i < 2000; i++) {
      const reader = new FrameReader(4096);
      try {
        reader.push(randomBytes(1 + (i % 200)));
      } catch (error) {
        assert.ok(error instanceof FrameError, String(error));
      }
    }
    assert.equal(NO_REQUEST_ID.length, 32);
  });
});
