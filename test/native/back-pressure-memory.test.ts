/**
 * The stream manager's memory stays bounded however slow a bolt is (native/README.md, "Memory"): spouts push as fast
 * as their sockets take into a bolt that never reads, for seconds, while the stream manager's resident set is
 * sampled in a process of its own.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import { FakeInstance } from './helpers/fake-instance.js';
import { type Pump, pump } from './helpers/pump.js';
import { tupleSetFrame } from './helpers/tuples.js';

const MiB = 1024 * 1024;
const HIGH = 4 * MiB;
const LOW = 2 * MiB;
const STALL_MS = 8000;
/**
 * The README's bound for this setting, over the resident set before the stall: the stalled connection's queue (the
 * high water mark, plus what was routed from the frames already read when the spouts were held: up to four 256 KiB
 * reads per spout, copied once per destination), the open batches (one per destination and source, each a pool
 * block of 256 + 64 KiB), and slack for the Node process around the addon (its heap, the stats calls).
 */
const BOUND = HIGH + 2 * 4 * 256 * 1024 + 4 * 320 * 1024 + 8 * MiB;

interface Sample {
  readonly rss: number;
  readonly announcing: boolean;
  readonly spoutsPaused: boolean;
  readonly dropped: number;
  readonly queued: number;
  readonly tuplesIn: number;
}

const frameOf = (task: number): Buffer => tupleSetFrame(task, 'words', 'default', Array.from({ length: 2000 }, (_, i) => ({ values: [Buffer.from(`w-${task}-${i}-twenty-bytes`)] })));

class MemoryChild {
  private readonly replies: Array<(value: unknown) => void> = [];
  private constructor(readonly child: ChildProcess) {
    child.on('message', (message) => this.replies.shift()?.(message));
  }

  static async start(mode: 'pause' | 'drop'): Promise<{ child: MemoryChild; endpoint: string }> {
    const child = new MemoryChild(fork(fileURLToPath(new URL('./children/memory-sm-child.js', import.meta.url)), [String(HIGH), String(LOW), mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    const { endpoint } = await child.next<{ endpoint: string }>();
    return { child, endpoint };
  }

  next<T>(): Promise<T> {
    return new Promise((resolve) => this.replies.push(resolve as (value: unknown) => void));
  }

  sample(): Promise<Sample> {
    const reply = this.next<Sample>();
    this.child.send('sample');
    return reply;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
  }
}

describe('the stream manager’s memory under a stalled bolt', () => {
  let child: MemoryChild | undefined;
  const instances: FakeInstance[] = [];
  const pumps: Pump[] = [];
  afterEach(async () => {
    for (const p of pumps.splice(0)) p.stop();
    for (const instance of instances.splice(0)) instance.close();
    await child?.stop();
    child = undefined;
  });

  /** Starts the child, its bolts and spouts; runs until `warmTuples` went through with every bolt reading. */
  async function run(mode: 'pause' | 'drop'): Promise<{ stalled: FakeInstance; baseline: number }> {
    const started = await MemoryChild.start(mode);
    child = started.child;
    const [stalled, reader] = [await FakeInstance.register(started.endpoint, 3, 'sink'), await FakeInstance.register(started.endpoint, 4, 'sink')];
    for (const bolt of [stalled, reader]) bolt.socket.removeAllListeners('data').on('data', () => undefined);
    instances.push(stalled, reader);
    for (const task of [1, 2]) {
      const spout = await FakeInstance.register(started.endpoint, task, 'words');
      instances.push(spout);
      pumps.push(pump(spout, frameOf(task)));
    }
    // Warm: the pools, buffers and heap reach their working size with every bolt reading.
    const deadline = Date.now() + 30_000;
    let warm = await child.sample();
    while (warm.tuplesIn < 1_000_000) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for a million tuples through the stream manager (have ${warm.tuplesIn})`);
      await sleep(20);
      warm = await child.sample();
    }
    return { stalled, baseline: warm.rss };
  }

  async function stallFor(stalled: FakeInstance): Promise<Sample[]> {
    stalled.socket.pause();
    const samples: Sample[] = [];
    const end = Date.now() + STALL_MS;
    // A measurement window, sampled every 100 ms: the point is how long the stall lasts.
    while (Date.now() < end) {
      samples.push(await child!.sample());
      await sleep(100);
    }
    return samples;
  }

  it(`back pressure: resident memory stays within the stated bound (${Math.round(BOUND / MiB)} MiB over the start) for ${STALL_MS / 1000} s`, async () => {
    const { stalled, baseline } = await run('pause');
    const samples = await stallFor(stalled);
    const peak = Math.max(...samples.map((s) => s.rss));
    const growth = peak - baseline;
    process.stdout.write(`# pause: baseline ${(baseline / MiB).toFixed(1)} MiB, peak ${(peak / MiB).toFixed(1)} MiB, longest queue at most ${(Math.max(...samples.map((s) => s.queued)) / MiB).toFixed(1)} MiB\n`);
    assert.ok(samples.at(-1)!.announcing && samples.at(-1)!.spoutsPaused, 'back pressure holds the spouts');
    assert.ok(growth < BOUND, `grew ${(growth / MiB).toFixed(1)} MiB over ${(baseline / MiB).toFixed(1)} MiB`);
    assert.ok(Math.max(...samples.map((s) => s.queued)) < HIGH + 2 * MiB, 'the queues stay near the high water mark');
  });

  it(`dropping instead: the same bound holds while the spouts are read on and the drops are counted`, async () => {
    const { stalled, baseline } = await run('drop');
    const samples = await stallFor(stalled);
    const peak = Math.max(...samples.map((s) => s.rss));
    process.stdout.write(`# drop: baseline ${(baseline / MiB).toFixed(1)} MiB, peak ${(peak / MiB).toFixed(1)} MiB, dropped ${samples.at(-1)!.dropped}\n`);
    assert.ok(samples.at(-1)!.dropped > samples[0]!.dropped, 'tuples for the stalled bolt are dropped');
    assert.ok(samples.at(-1)!.tuplesIn > samples[0]!.tuplesIn, 'the spouts are still read');
    assert.ok(peak - baseline < BOUND, `grew ${((peak - baseline) / MiB).toFixed(1)} MiB over ${(baseline / MiB).toFixed(1)} MiB`);
  });
});
