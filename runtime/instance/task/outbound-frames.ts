import type { FinishedFrame } from '../codec/tuple-set-writer.js';

/** Where finished frames go: the connection's socket. */
export type FrameSink = (frame: FinishedFrame) => void;

/**
 * The task thread's outgoing buffers: a fixed number, each holding one frame while it is built and until the socket
 * has taken it and the connection handed it back. Emitting needs a free buffer, so when the socket is slow the
 * buffers stay away and the runners stop calling user code: memory stays at `count` buffers (plus what a single
 * `nextTuple` or `execute` call emits beyond them, which can never be refused).
 */
export class OutboundFrames {
  private readonly free: ArrayBuffer[] = [];
  private outstanding = 0;

  constructor(
    private readonly sink: FrameSink,
    private readonly bufferBytes: number,
    private readonly count: number,
  ) {
    for (let i = 0; i < count; i++) this.free.push(new ArrayBuffer(bufferBytes));
  }

  /** True while a buffer is free: the runners call user code only then. */
  get hasCredit(): boolean {
    return this.free.length > 0;
  }

  /** Buffers written into or waiting in the socket. */
  get inFlight(): number {
    return this.outstanding;
  }

  /** A buffer to build a frame in; past the credit, a new one (see the class comment). */
  take(): ArrayBuffer {
    this.outstanding++;
    return this.free.pop() ?? new ArrayBuffer(this.bufferBytes);
  }

  /** Hands a finished frame to the socket; its buffer is gone until {@link credit} returns it. */
  send(frame: FinishedFrame): void {
    this.sink(frame);
  }

  /**
   * Takes back buffers the socket has taken. Buffers beyond `count` are dropped, and a grown one (a frame larger
   * than a buffer) is replaced by one of the usual size, to hold the pool at `count` buffers of `bufferBytes`.
   */
  credit(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      this.outstanding--;
      if (this.free.length + this.outstanding >= this.count) continue;
      this.free.push(buffer.byteLength === this.bufferBytes ? buffer : new ArrayBuffer(this.bufferBytes));
    }
  }
}
