import { MessageTypes } from '../../common/message-types.js';
import { REQUEST_ID_BYTES } from '../../protocol/frames.js';
import { readInt32LE } from './tuple-set-frame.js';
import { WireFormatError, WireReader } from './wire-reader.js';

const TUPLE_SET2 = Buffer.from(MessageTypes.HERON_TUPLE_SET2, 'latin1');

/** Called for each root the stream manager completed: `acked` false for a fail. Keys as Long's halves. */
export type RootCompletion = (acked: boolean, keyLow: number, keyHigh: number) => void;

/**
 * Reads what a spout's stream manager sends it under ATLEAST_ONCE (PROTOCOL.md §7): the `acks` and `fails` of
 * `HeronTupleSet2.control`, one AckTuple per completed root. Walks the frames of a batch buffer and the protobuf
 * fields in place, allocating nothing: a busy spout gets one AckTuple per root it emits. Roots of other tasks,
 * `emits` and any data are skipped. Throws {@link WireFormatError} for a payload that is not a HeronTupleSet2.
 */
export class ControlSetReader {
  private readonly set = new WireReader();
  private readonly control = new WireReader();
  private readonly ack = new WireReader();

  constructor(private readonly taskId: number) {}

  /** Reads every HeronTupleSet2 frame among the complete frames of `bytes[0, length)`. */
  readFrames(bytes: Buffer, length: number, onRoot: RootCompletion): void {
    let at = 0;
    while (at < length) {
      const end = at + 4 + bytes.readUInt32BE(at);
      const typeLength = bytes.readUInt32BE(at + 4);
      // Other frames are control messages, which the main thread has handled.
      if (typeLength === TUPLE_SET2.length && TUPLE_SET2.compare(bytes, at + 8, at + 8 + typeLength) === 0) {
        this.readPayload(bytes, at + 8 + typeLength + REQUEST_ID_BYTES + 4, end, onRoot);
      }
      at = end;
    }
  }

  /** Reads one HeronTupleSet2 payload, `bytes[start, end)`. */
  readPayload(bytes: Buffer, start: number, end: number, onRoot: RootCompletion): void {
    const r = this.set.reset(bytes, start, end);
    while (!r.done) {
      const tag = r.uint32();
      if (tag !== 0x12) {
        r.skip(tag & 7);
        continue;
      }
      const controlEnd = r.lengthDelimited();
      const c = this.control.reset(bytes, r.pos, controlEnd);
      while (!c.done) {
        const field = c.uint32();
        // acks = 1, fails = 2; emits = 3 are for stream managers.
        if (field === 0x0a || field === 0x12) {
          const ackEnd = c.lengthDelimited();
          this.readAckTuple(bytes, c.pos, ackEnd, field === 0x0a, onRoot);
          c.pos = ackEnd;
        } else {
          c.skip(field & 7);
        }
      }
      r.pos = controlEnd;
    }
  }

  private readAckTuple(bytes: Buffer, start: number, end: number, acked: boolean, onRoot: RootCompletion): void {
    const a = this.ack.reset(bytes, start, end);
    while (!a.done) {
      const field = a.uint32();
      if (field !== 0x0a) {
        a.skip(field & 7);
        continue;
      }
      const rootEnd = a.lengthDelimited();
      let task: number | undefined;
      let low = 0;
      let high = 0;
      let sawKey = false;
      while (a.pos < rootEnd) {
        const rootField = a.uint32();
        if (rootField === 0x08) {
          task = a.int32();
        } else if (rootField === 0x11) {
          if (a.pos + 8 > rootEnd) throw new WireFormatError('truncated RootId key');
          low = readInt32LE(bytes, a.pos);
          high = readInt32LE(bytes, a.pos + 4);
          a.pos += 8;
          sawKey = true;
        } else {
          a.skip(rootField & 7);
        }
      }
      if (a.pos !== rootEnd || task === undefined || !sawKey) throw new WireFormatError('malformed RootId');
      if (task === this.taskId) onRoot(acked, low, high);
    }
  }
}
