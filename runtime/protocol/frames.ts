/**
 * Heron's frame layout (native/PROTOCOL.md §1), for the JS ends of every connection: the instance's task thread, the
 * stream manager's and topology manager's control planes, and tests.
 */

/** Bytes of the request id in every frame. */
export const REQUEST_ID_BYTES = 32;
/** The request id of one-way messages. */
export const NO_REQUEST_ID: Buffer = Buffer.alloc(REQUEST_ID_BYTES);
/** The longest message type name accepted. */
export const MAX_TYPE_BYTES = 256;

/** One decoded frame. `payload` is a view into the bytes read, valid until the reader is fed again. */
export interface Frame {
  readonly messageType: string;
  readonly requestId: Buffer;
  readonly payload: Buffer;
}

/** Thrown by {@link FrameReader} for bytes that are not a frame; the connection should be closed. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** The encoded length of a frame carrying `payloadBytes` of a message type of `typeBytes` bytes. */
export function frameLength(typeBytes: number, payloadBytes: number): number {
  return 4 + 4 + typeBytes + REQUEST_ID_BYTES + 4 + payloadBytes;
}

/** Encodes one frame. */
export function encodeFrame(messageType: string, payload: Uint8Array, requestId: Uint8Array = NO_REQUEST_ID): Buffer {
  const typeBytes = Buffer.byteLength(messageType, 'latin1');
  if (typeBytes === 0 || typeBytes > MAX_TYPE_BYTES) throw new RangeError(`message type '${messageType}' must have 1 to ${MAX_TYPE_BYTES} bytes`);
  if (requestId.length !== REQUEST_ID_BYTES) throw new RangeError(`a request id has ${REQUEST_ID_BYTES} bytes, got ${requestId.length}`);
  const frame = Buffer.allocUnsafe(frameLength(typeBytes, payload.length));
  let offset = frame.writeUInt32BE(frame.length - 4, 0);
  offset = frame.writeUInt32BE(typeBytes, offset);
  offset += frame.write(messageType, offset, 'latin1');
  frame.set(requestId, offset);
  offset += REQUEST_ID_BYTES;
  offset = frame.writeUInt32BE(payload.length, offset);
  frame.set(payload, offset);
  return frame;
}

/**
 * Splits a byte stream into frames. Feed it what a socket delivers; it returns every complete frame and keeps the
 * rest. Throws {@link FrameError} (and is then unusable) for a frame larger than `maxFrameBytes` or inconsistent.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes: number) {}

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): Frame[] {
    const data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    let offset = 0;
    while (data.length - offset >= 4) {
      const size = data.readUInt32BE(offset);
      if (size > this.maxFrameBytes) throw new FrameError(`frame of ${size} bytes exceeds the limit of ${this.maxFrameBytes}`);
      if (data.length - offset - 4 < size) break;
      frames.push(parseFrameBody(data.subarray(offset + 4, offset + 4 + size)));
      offset += 4 + size;
    }
    this.pending = offset === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(offset));
    return frames;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.pending.length;
  }
}

function parseFrameBody(body: Buffer): Frame {
  if (body.length < 4) throw new FrameError('frame too short for its type length');
  const typeBytes = body.readUInt32BE(0);
  if (typeBytes === 0 || typeBytes > MAX_TYPE_BYTES) throw new FrameError(`type length ${typeBytes} is not between 1 and ${MAX_TYPE_BYTES}`);
  const payloadLengthAt = 4 + typeBytes + REQUEST_ID_BYTES;
  if (body.length < payloadLengthAt + 4) throw new FrameError('frame too short for its header');
  const payloadBytes = body.readUInt32BE(payloadLengthAt);
  if (payloadLengthAt + 4 + payloadBytes !== body.length) {
    throw new FrameError(`payload length ${payloadBytes} does not match the frame size ${body.length + 4}`);
  }
  return {
    messageType: body.toString('latin1', 4, 4 + typeBytes),
    requestId: body.subarray(4 + typeBytes, payloadLengthAt),
    payload: body.subarray(payloadLengthAt + 4),
  };
}
