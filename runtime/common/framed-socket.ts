import type { Socket } from 'node:net';
import { encodeFrame, type Frame, FrameError, FrameReader } from '../protocol/frames.js';

/** What a {@link FramedSocket} reports. */
export interface FramedSocketHandlers {
  /** One whole frame; its payload is valid only during the call. A throw closes the socket with the error as reason. */
  onFrame(frame: Frame): void;
  /** Called once, when the socket is gone, with why (closed by the other end, a malformed frame, an I/O error, {@link FramedSocket.close}). */
  onClose(reason: string): void;
}

/**
 * A TCP socket carrying Heron frames (native/PROTOCOL.md §1), for the control connections written in JS: stream
 * manager ↔ topology manager, and tests playing either end. A malformed frame closes the socket, naming the fault.
 */
export class FramedSocket {
  private readonly reader: FrameReader;
  private closeReason: string | undefined;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    maxFrameBytes: number,
    private readonly handlers: FramedSocketHandlers,
  ) {
    this.reader = new FrameReader(maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => {
      this.closeReason ??= `I/O error: ${error.message}`;
    });
    socket.on('close', () => {
      this.closed = true;
      this.handlers.onClose(this.closeReason ?? 'closed by the other end');
    });
  }

  /** `host:port` of the other end, for logs. */
  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /** Queues one frame; does nothing once the socket is closing. */
  send(messageType: string, payload: Uint8Array, requestId?: Uint8Array): void {
    if (!this.isOpen) return;
    this.socket.write(encodeFrame(messageType, payload, requestId));
  }

  /** Closes the socket once what is queued is written, remembering `reason` for {@link FramedSocketHandlers.onClose}. */
  close(reason: string): void {
    this.closeReason ??= reason;
    if (this.socket.destroyed) return;
    this.socket.end();
    // A peer that never reads must not keep the socket open forever.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private receive(chunk: Buffer): void {
    if (this.closeReason !== undefined) return;
    try {
      for (const frame of this.reader.push(chunk)) {
        this.handlers.onFrame(frame);
        if (this.closeReason !== undefined) return;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.closeReason ??= error instanceof FrameError ? `malformed frame: ${message}` : message;
      this.socket.destroy();
    }
  }
}
