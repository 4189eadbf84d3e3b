import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../../../core/errors.js';
import { encodeFrame, FrameError, type Frame } from '../../protocol/frames.js';
import { InstanceError } from '../instance-error.js';
import type { FrameSlice, QueueDepths } from '../task-protocol.js';
import { InboundBatcher, type InboundBatcherOptions } from './inbound-batcher.js';

/** Bytes read per read call: large, so that a busy connection costs few system calls. */
const READ_BUFFER_BYTES = 256 * 1024;

export interface StmgrConnectionEvents {
  /** Complete incoming frames for the component (see {@link InboundBatcher}). */
  readonly onFrames: (buffer: ArrayBuffer, length: number) => void;
  /** A control frame (registration response, new assignment). */
  readonly onControl: (frame: Frame) => void;
  /** Outgoing buffers written to the socket, for the component's side to reuse. */
  readonly onWritten: (buffers: ArrayBuffer[]) => void;
  /** The connection is gone (closed by the peer, an I/O error, or a malformed frame); called once. */
  readonly onClosed: (reason: string) => void;
}

/**
 * The instance's connection to its stream manager, on the task thread: reads into a buffer of its own, splits frames
 * into batches for the component, and writes the component's frames. Written buffers are handed back only once the
 * socket has taken them, so a slow socket holds the outgoing buffers and stops the emits; batches the component has
 * not read hold the incoming ones, and with none free the socket is not read.
 */
export class StmgrConnection {
  private readonly batcher: InboundBatcher;
  /** Frames given to the socket that it has not taken yet. */
  private unwritten = 0;
  private closed = false;
  private socket: net.Socket | undefined;

  constructor(
    options: InboundBatcherOptions,
    private readonly events: StmgrConnectionEvents,
  ) {
    this.batcher = new InboundBatcher(options, events.onFrames, events.onControl);
  }

  /**
   * Connects to `path`, retrying while the stream manager is not listening yet (it starts beside the instances) until
   * `timeoutMs`. Throws INSTANCE_STMGR_LOST when it never answers.
   */
  async connect(path: string, timeoutMs: number, retryMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        this.socket = await this.open(path);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const retryable = code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EAGAIN';
        if (!retryable || Date.now() + retryMs > deadline) {
          throw new InstanceError(`cannot connect to the stream manager at ${printable(path)}: ${messageOf(error)}`, { code: 'INSTANCE_STMGR_LOST', cause: error });
        }
        await sleep(retryMs);
      }
    }
  }

  private open(path: string): Promise<net.Socket> {
    const readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
    return new Promise((resolve, reject) => {
      const socket = net.connect({
        path,
        onread: {
          buffer: readBuffer,
          callback: (bytes: number, buffer: Uint8Array) => this.onRead(buffer.subarray(0, bytes)),
        },
      });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', (error) => this.fail(`I/O error: ${messageOf(error)}`));
        socket.on('close', () => this.fail('the stream manager closed the connection'));
        resolve(socket);
      });
    });
  }

  private onRead(chunk: Uint8Array): boolean {
    // Once ending, what still arrives is dropped but read: a paused socket never sees the stream manager's end, and
    // `end()` would wait for a close that never comes.
    if (this.closed) return true;
    try {
      return this.batcher.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      this.fail(`malformed frame from the stream manager: ${error.message}`);
      return false;
    }
  }

  /** Takes back an incoming batch buffer; resumes reading if it was paused for lack of one. */
  release(buffer: ArrayBuffer): void {
    if (this.batcher.release(buffer) && !this.closed) this.socket?.resume();
  }

  /** Sends one control message. */
  send(messageType: string, payload: Uint8Array, requestId?: Uint8Array): void {
    this.socket?.write(encodeFrame(messageType, payload, requestId));
  }

  /** Writes the component's frames, in one system call when the socket allows. */
  writeFrames(frames: readonly FrameSlice[]): void {
    const socket = this.socket;
    if (!socket || this.closed) return;
    socket.cork();
    for (const { buffer, start, end } of frames) socket.write(new Uint8Array(buffer, start, end - start), () => this.onWrote(buffer));
    socket.uncork();
    this.unwritten += frames.length;
  }

  private onWrote(buffer: ArrayBuffer): void {
    this.unwritten--;
    this.events.onWritten([buffer]);
  }

  /** Incoming batches the component holds unread, and outgoing frames the socket has not taken. */
  get depths(): QueueDepths {
    return { inQueue: this.batcher.inFlight, outQueue: this.unwritten };
  }

  /** Ends the connection after what is queued is written. */
  end(): Promise<void> {
    const socket = this.socket;
    this.closed = true;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      // Reading may be paused (the component held every inbound buffer): resume it to see the other end close.
      socket.resume();
      socket.end();
    });
  }

  /** Closes at once. */
  destroy(): void {
    this.closed = true;
    this.socket?.destroy();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket?.destroy();
    this.events.onClosed(reason);
  }
}

/** An abstract socket name starts with NUL; show it as the endpoint names it. */
function printable(path: string): string {
  return path.startsWith('\0') ? `unix-abstract:${path.slice(1)}` : `unix:${path}`;
}
