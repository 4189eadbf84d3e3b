import { randomBytes } from 'node:crypto';

/**
 * Random 32-bit halves for spout roots: xoshiro128** (Blackman and Vigna), seeded from the OS's random source. Roots
 * need to be distinct among a task's pending ones and unpredictable across tasks and restarts, not secret, and
 * `crypto.randomBytes` per emit would cost a system call's share each.
 */
export class RootGenerator {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed`: 16 bytes (tests); by default from crypto.randomBytes. */
  constructor(seed: Uint8Array = randomBytes(16)) {
    const view = new DataView(seed.buffer, seed.byteOffset, 16);
    this.s0 = view.getInt32(0);
    this.s1 = view.getInt32(4);
    this.s2 = view.getInt32(8);
    this.s3 = view.getInt32(12);
    // The one state the generator cannot leave.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next value, a signed 32-bit integer. */
  next(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
