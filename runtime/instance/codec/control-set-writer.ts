import { ByteWriter } from './byte-writer.js';
import { CONTENT_AT, CONTROL_FIELD_TAG, finishTupleSet, ROOT_ID_BYTES, TRAILER_BYTES, writeFixed64, writeRootId, type FinishedFrame } from './tuple-set-frame.js';

/** The tag of HeronControlTupleSet's `acks = 1`. */
export const ACKS_TAG = 0x0a;
/** The tag of HeronControlTupleSet's `fails = 2`. */
export const FAILS_TAG = 0x12;

/**
 * Builds the control frames of a bolt under ATLEAST_ONCE (PROTOCOL.md §7): `HeronTupleSet { control = 2:
 * HeronControlTupleSet { acks = 1, fails = 2: AckTuple { roots = 1; ackedtuple = 2 } }; src_task_id = 3 }`, one
 * AckTuple per acked or failed input, in call order (proto2 lets repeated fields interleave).
 */
export class ControlSetWriter {
  private writer: ByteWriter | null = null;
  /** AckTuples in the open frame; 0 when none is open. */
  count = 0;
  /** When the open frame got its first AckTuple (the caller's clock). */
  openedAt = 0;

  constructor(private readonly srcTaskId: number) {}

  get isOpen(): boolean {
    return this.writer !== null;
  }

  /** Bytes of AckTuples in the open frame. */
  get contentBytes(): number {
    return this.writer === null ? 0 : this.writer.pos - CONTENT_AT;
  }

  /** Starts a frame in `buffer`, which the frame owns until {@link finish}. */
  open(buffer: ArrayBuffer, now: number): void {
    this.writer = new ByteWriter(Buffer.from(buffer), CONTENT_AT);
    this.count = 0;
    this.openedAt = now;
  }

  /**
   * Appends `AckTuple { roots, ackedtuple }` to `acks` or `fails` ({@link ACKS_TAG}, {@link FAILS_TAG}) from an
   * input tuple's acking record: `[key low, key high, (root task id, root key low, root key high)...]`.
   */
  add(tag: number, record: readonly number[]): void {
    const w = this.writer!;
    w.ensure(2 + ((record.length - 2) / 3) * ROOT_ID_BYTES + 9);
    const b = w.bytes;
    let p = w.pos;
    b[p++] = tag;
    const lengthAt = p++;
    for (let i = 2; i < record.length; i += 3) p = writeRootId(b, p, 0x0a, record[i]!, record[i + 1]!, record[i + 2]!);
    b[p++] = 0x11;
    p = writeFixed64(b, p, record[0]!, record[1]!);
    w.pos = p;
    // An AckTuple of about ten roots or more needs a longer length: finishLength moves it up.
    w.finishLength(lengthAt);
    this.count++;
  }

  /** Completes the open frame and hands its buffer over; no frame is then open (and {@link count} is 0). */
  finish(): FinishedFrame {
    const w = this.writer!;
    this.writer = null;
    this.count = 0;
    w.ensure(TRAILER_BYTES);
    return finishTupleSet(w.bytes, w.pos, CONTROL_FIELD_TAG, this.srcTaskId);
  }
}
