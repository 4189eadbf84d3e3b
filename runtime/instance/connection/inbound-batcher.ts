import { FrameError, MAX_TYPE_BYTES, REQUEST_ID_BYTES, type Frame } from '../../protocol/frames.js';
import { MessageTypes } from '../../common/message-types.js';

export interface InboundBatcherOptions {
  /** Size of each batch buffer. */
  readonly bufferBytes: number;
  /** Batches the component may hold unread at once (its credit). */
  readonly buffers: number;
  /** Frames larger than this close the connection (PROTOCOL.md §1). */
  readonly maxFrameBytes: number;
}

/**
 * Gathers what the socket delivers into batch buffers of complete frames for the component. Data frames
 * (HeronTupleSet2) stay in the buffer, which is handed over whole and comes back through {@link release}; control
 * frames are passed to `control` as they complete (and left in place: the runner skips them). Frame headers are
 * checked here, so the runner can trust the offsets.
 *
 * Credit: at most `buffers` batches are with the component. Without credit the batcher keeps what it has and
 * {@link push} returns false: the caller stops reading the socket until {@link release} returns true, so a slow bolt
 * pushes back on the stream manager instead of filling this process's memory.
 */
export class InboundBatcher {
  private current: Buffer;
  /** Bytes in `current`. */
  private used = 0;
  /** End of the complete frames in `current`. */
  private complete = 0;
  /** Data frames among the complete ones. */
  private dataFrames = 0;
  private credits: number;
  private readonly free: ArrayBuffer[] = [];

  constructor(
    private readonly options: InboundBatcherOptions,
    private readonly deliver: (buffer: ArrayBuffer, length: number) => void,
    private readonly control: (frame: Frame) => void,
  ) {
    this.credits = options.buffers;
    this.current = Buffer.from(new ArrayBuffer(options.bufferBytes));
  }

  /**
   * Takes bytes read from the socket (valid only during the call). Returns false when reading should pause.
   * Throws {@link FrameError} for bytes that are not frames: the connection must then be closed.
   */
  push(chunk: Uint8Array): boolean {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.used === this.current.length) this.makeRoom();
      const n = Math.min(this.current.length - this.used, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + n), this.used);
      this.used += n;
      offset += n;
      this.scan();
    }
    this.flush();
    return !this.blocked;
  }

  /** Takes back a batch buffer from the component once read; returns true when reading may resume. */
  release(buffer: ArrayBuffer): boolean {
    this.credits++;
    if (buffer.byteLength === this.options.bufferBytes && this.free.length < this.options.buffers) this.free.push(buffer);
    this.flush();
    return !this.blocked;
  }

  /** Holding data the component has no room for. */
  get blocked(): boolean {
    return this.dataFrames > 0 && this.credits === 0;
  }

  /** Batches with the component, not yet read. */
  get inFlight(): number {
    return this.options.buffers - this.credits;
  }

  private scan(): void {
    let p = this.complete;
    while (this.used - p >= 4) {
      // Not hoisted: handing a batch over below replaces the buffer.
      const b = this.current;
      const size = b.readUInt32BE(p);
      if (size > this.options.maxFrameBytes) throw new FrameError(`frame of ${size} bytes exceeds the limit of ${this.options.maxFrameBytes}`);
      if (this.used - p - 4 < size) break;
      const frame = parseFrame(b, p + 4, p + 4 + size);
      p += 4 + size;
      this.complete = p;
      if (frame === undefined) {
        this.dataFrames++;
      } else {
        // Data that came first goes first, when there is room for it.
        this.flush();
        p = this.complete;
        this.control(frame);
      }
    }
  }

  /** Hands over the complete frames if there are data frames and credit, or drops a prefix of control frames. */
  private flush(): void {
    if (this.complete === 0) return;
    if (this.dataFrames === 0) {
      this.moveTail(this.current);
      return;
    }
    if (this.credits === 0) return;
    const full = this.current;
    const tail = this.used - this.complete;
    const next = Buffer.from(tail <= this.options.bufferBytes ? (this.free.pop() ?? new ArrayBuffer(this.options.bufferBytes)) : new ArrayBuffer(tail));
    next.set(full.subarray(this.complete, this.used));
    const length = this.complete;
    this.current = next;
    this.used = tail;
    this.complete = 0;
    this.dataFrames = 0;
    this.credits--;
    this.deliver(full.buffer as ArrayBuffer, length);
  }

  /** Moves the incomplete frame at the end to the start of `target`. */
  private moveTail(target: Buffer): void {
    const tail = this.used - this.complete;
    target.set(this.current.subarray(this.complete, this.used));
    this.current = target;
    this.used = tail;
    this.complete = 0;
  }

  /** `current` is full: deliver, drop handled control frames, or grow (a frame larger than a buffer, or no credit). */
  private makeRoom(): void {
    this.flush();
    if (this.used < this.current.length) return;
    const b = this.current;
    // The frame being completed needs its whole size; without credit, room for another read is enough.
    const pendingSize = this.used - this.complete >= 4 ? 4 + b.readUInt32BE(this.complete) : 0;
    const grown = Buffer.from(new ArrayBuffer(Math.max(b.length * 2, this.complete + pendingSize)));
    grown.set(b.subarray(0, this.used));
    this.current = grown;
  }
}

const TUPLE_SET2 = Buffer.from(MessageTypes.HERON_TUPLE_SET2, 'latin1');

/** Checks a frame's header; returns undefined for a data frame, else the control frame (its bytes copied). */
function parseFrame(b: Buffer, start: number, end: number): Frame | undefined {
  if (end - start < 4) throw new FrameError('frame too short for its type length');
  const typeBytes = b.readUInt32BE(start);
  if (typeBytes === 0 || typeBytes > MAX_TYPE_BYTES) throw new FrameError(`type length ${typeBytes} is not between 1 and ${MAX_TYPE_BYTES}`);
  const payloadLengthAt = start + 4 + typeBytes + REQUEST_ID_BYTES;
  if (end < payloadLengthAt + 4) throw new FrameError('frame too short for its header');
  const payloadBytes = b.readUInt32BE(payloadLengthAt);
  if (payloadLengthAt + 4 + payloadBytes !== end) throw new FrameError(`payload length ${payloadBytes} does not match the frame size ${end - start + 4}`);
  if (typeBytes === TUPLE_SET2.length && TUPLE_SET2.compare(b, start + 4, start + 4 + typeBytes) === 0) return undefined;
  return {
    messageType: b.toString('latin1', start + 4, start + 4 + typeBytes),
    requestId: Buffer.from(b.subarray(start + 4 + typeBytes, payloadLengthAt)),
    payload: Buffer.from(b.subarray(payloadLengthAt + 4, end)),
  };
}
