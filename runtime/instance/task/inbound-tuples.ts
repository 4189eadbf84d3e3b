import { TupleSet2Reader } from '../codec/tuple-set-reader.js';
import { MessageTypes } from '../../common/message-types.js';
import { REQUEST_ID_BYTES } from '../../protocol/frames.js';
import type { ValueCodec } from '../serializer/value-codec.js';
import { InstanceTuple } from './instance-tuple.js';
import type { Arrival, InputStream } from './stream-stats.js';

const TUPLE_SET2 = Buffer.from(MessageTypes.HERON_TUPLE_SET2, 'latin1');

interface InboundBuffer {
  readonly buffer: ArrayBuffer;
  readonly bytes: Buffer;
  readonly length: number;
  readonly arrival: Arrival;
}

/**
 * The frames the connection has batched, decoded one tuple at a time when the bolt runner asks: a runner can stop
 * between two tuples (its slice is over) and resume later. A buffer goes back to the connection once every frame in
 * it is read. The connection has checked the frames' sizes; the payloads are checked here, tuple by tuple.
 */
export class InboundTuples {
  private readonly queue: InboundBuffer[] = [];
  /** The next frame in `queue[0]`. */
  private frameAt = 0;
  private readonly reader = new TupleSet2Reader();
  /** The stream of the frame being read; undefined between frames. */
  private stream: InputStream | undefined;
  private arrival: Arrival = { at: 0 };
  private readonly unknownStreams = new Set<string>();
  /** Bytes of tuples read so far. */
  consumed = 0;

  constructor(
    private readonly inputs: ReadonlyMap<string, ReadonlyMap<string, InputStream>>,
    private readonly codec: ValueCodec,
    private readonly release: (buffer: ArrayBuffer) => void,
    private readonly warn: (message: string) => void,
  ) {}

  /** Queues complete frames in `buffer[0, length)`, received at `now`. */
  push(buffer: ArrayBuffer, length: number, now: number): void {
    this.queue.push({ buffer, bytes: Buffer.from(buffer, 0, length), length, arrival: { at: now } });
  }

  /** Batches held, not yet read to the end: the task thread's in-queue. */
  get depth(): number {
    return this.queue.length;
  }

  /** The next tuple, or undefined when every queued frame is read. Throws WireFormatError for a corrupt tuple. */
  next(): InstanceTuple | undefined {
    for (;;) {
      const stream = this.stream;
      if (stream !== undefined) {
        const values = this.reader.next(this.codec);
        if (values !== undefined) {
          this.consumed += this.reader.tupleBytes;
          return new InstanceTuple(stream, this.reader.srcTaskId, values, this.reader.record, this.arrival);
        }
        this.stream = undefined;
      }
      if (!this.nextFrame()) return undefined;
    }
  }

  /** Gives back every queued buffer unread (a spout, which receives no data under ATMOST_ONCE). */
  discard(): void {
    for (const entry of this.queue.splice(0)) this.release(entry.buffer);
    this.frameAt = 0;
    this.stream = undefined;
  }

  private nextFrame(): boolean {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (this.frameAt >= head.length) {
        this.queue.shift();
        this.frameAt = 0;
        this.release(head.buffer);
        continue;
      }
      const b = head.bytes;
      this.arrival = head.arrival;
      const at = this.frameAt;
      const end = at + 4 + b.readUInt32BE(at);
      const typeLength = b.readUInt32BE(at + 4);
      this.frameAt = end;
      // Other frames are control messages, which the main thread has handled.
      if (typeLength !== TUPLE_SET2.length || TUPLE_SET2.compare(b, at + 8, at + 8 + typeLength) !== 0) continue;
      const payloadAt = at + 8 + typeLength + REQUEST_ID_BYTES + 4;
      if (!this.reader.begin(b, payloadAt, end)) continue;
      const stream = this.inputs.get(this.reader.componentName)?.get(this.reader.streamId);
      if (stream === undefined) {
        this.warnUnknown(this.reader.componentName, this.reader.streamId);
        continue;
      }
      this.stream = stream;
      return true;
    }
    return false;
  }

  private warnUnknown(component: string, stream: string): void {
    const key = `${component}\u0000${stream}`;
    if (this.unknownStreams.has(key)) return;
    this.unknownStreams.add(key);
    this.warn(`received tuples of stream '${stream}' of '${component}', which this bolt does not subscribe to; dropping them`);
  }
}
