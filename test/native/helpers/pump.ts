/** A fake spout that writes one frame over and over as fast as its socket takes it. */
import type { FakeInstance } from './fake-instance.js';

export interface Pump {
  /** Frames handed to the socket so far. */
  readonly frames: number;
  /** True while the socket's buffer is full and the pump waits for it to drain: nobody is reading. */
  readonly blocked: boolean;
  stop(): void;
}

export function pump(instance: FakeInstance, frame: Buffer): Pump {
  let running = true;
  let frames = 0;
  let blocked = false;
  const next = (): void => {
    blocked = false;
    while (running && !instance.closed) {
      frames++;
      if (!instance.socket.write(frame)) {
        blocked = true;
        instance.socket.once('drain', next);
        return;
      }
    }
  };
  next();
  return {
    get frames() {
      return frames;
    },
    get blocked() {
      return blocked;
    },
    stop() {
      running = false;
    },
  };
}
