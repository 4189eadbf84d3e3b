import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeFrame, FrameError, FrameReader, type Frame } from '../../protocol/frames.js';
import { MessageTypes } from '../../common/message-types.js';
import { InboundBatcher } from './inbound-batcher.js';

interface Delivered {
  readonly buffer: ArrayBuffer;
  readonly length: number;
}

function harness(bufferBytes: number, buffers: number) {
  const delivered: Delivered[] = [];
  const frames: string[] = [];
  const controls: Frame[] = [];
  const batcher = new InboundBatcher(
    { bufferBytes, buffers, maxFrameBytes: 1 << 20 },
    (buffer, length) => {
      delivered.push({ buffer, length });
      // Read at once, as the runner does before handing the buffer back to be refilled.
      for (const frame of new FrameReader(1 << 30).push(Buffer.from(buffer, 0, length))) {
        if (frame.messageType === MessageTypes.HERON_TUPLE_SET2) frames.push(frame.payload.toString('hex'));
      }
    },
    (frame) => controls.push(frame),
  );
  /** The data frames of the delivered batches, in order. */
  const dataFrames = (): string[] => frames;
  return { batcher, delivered, controls, dataFrames };
}

const data = (payload: Uint8Array): Buffer => encodeFrame(MessageTypes.HERON_TUPLE_SET2, payload);

describe('InboundBatcher', () => {
  it('delivers every data frame once, in order, and every control frame, however the stream is cut (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 300 })), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1 }),
        fc.integer({ min: 16, max: 400 }),
        (frames, cuts, bufferBytes) => {
          const { batcher, delivered, controls, dataFrames } = harness(bufferBytes, 2);
          const stream = Buffer.concat(frames.map(([isData, payload]) => (isData ? data(payload) : encodeFrame(MessageTypes.NEW_INSTANCE_ASSIGNMENT, payload))));
          let offset = 0;
          let released = 0;
          for (let i = 0; offset < stream.length; i++) {
            const next = Math.min(stream.length, offset + cuts[i % cuts.length]!);
            batcher.push(stream.subarray(offset, next));
            offset = next;
            // The runner hands each batch back once read, sometimes late.
            if (i % 3 === 0) while (released < delivered.length) batcher.release(delivered[released++]!.buffer);
          }
          while (released < delivered.length) batcher.release(delivered[released++]!.buffer);
          assert.deepEqual(
            dataFrames(),
            frames.filter(([isData]) => isData).map(([, p]) => Buffer.from(p).toString('hex')),
          );
          assert.deepEqual(
            controls.map((c) => c.payload.toString('hex')),
            frames.filter(([isData]) => !isData).map(([, p]) => Buffer.from(p).toString('hex')),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('holds data without credit and asks to pause reading, then delivers when a buffer comes back', () => {
    const { batcher, delivered, dataFrames } = harness(1024, 1);
    assert.equal(batcher.push(data(Buffer.from('one'))), true);
    assert.equal(delivered.length, 1);
    assert.equal(batcher.push(data(Buffer.from('two'))), false, 'no credit left: pause');
    assert.equal(batcher.push(data(Buffer.from('three'))), false);
    assert.equal(delivered.length, 1);
    assert.equal(batcher.release(delivered[0]!.buffer), true, 'credit back: resume');
    assert.equal(delivered.length, 2);
    assert.deepEqual(dataFrames(), ['one', 'two', 'three'].map((s) => Buffer.from(s).toString('hex')));
    assert.equal(batcher.inFlight, 1);
  });

  it('grows for a frame larger than its buffers', () => {
    const { batcher, dataFrames } = harness(64, 1);
    const payload = Buffer.alloc(10_000, 9);
    const frame = data(payload);
    batcher.push(frame.subarray(0, 5000));
    batcher.push(frame.subarray(5000));
    assert.deepEqual(dataFrames(), [payload.toString('hex')]);
  });

  it('refuses frames over the limit and malformed headers', () => {
    const { batcher } = harness(1024, 1);
    const big = Buffer.alloc(8);
    big.writeUInt32BE((1 << 20) + 1, 0);
    assert.throws(() => batcher.push(big), FrameError);
    const zeroType = Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.throws(() => harness(1024, 1).batcher.push(zeroType), /type length 0/);
    const inconsistent = encodeFrame(MessageTypes.HERON_TUPLE_SET2, Buffer.from('xy'));
    inconsistent.writeUInt32BE(5, inconsistent.length - 6);
    assert.throws(() => harness(1024, 1).batcher.push(inconsistent), /payload length 5 does not match/);
  });
});
