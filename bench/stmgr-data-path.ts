// The stream manager data path's own benchmark (`node dist/bench/stmgr-data-path.js [--spouts N] [--bolts N]
// [--seconds S] [--grouping fields|shuffle]`): one SM in a child process, fake spout instances pushing pre-encoded
// HeronTupleSet frames of 20-character words through it over the real Unix socket, fake bolts reading what it
// routes. Reports tuples/s through the SM and the SM process's CPU per million tuples, then one JSON line.
// The end-to-end word count (real instances) is `npm run bench:throughput`'s job.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DataPathGrouping } from '../native/index.js';
import { FakeInstance } from '../test/native/helpers/fake-instance.js';
import { startStreamManager } from '../test/native/helpers/stream-manager.js';
import { tupleSetFrame } from '../test/native/helpers/tuples.js';

interface Plan {
  readonly spouts: number;
  readonly bolts: number;
  readonly seconds: number;
  readonly grouping: DataPathGrouping;
}

interface Sample {
  readonly tuplesRouted: number;
  readonly tuplesOut: number;
  readonly bytesOut: number;
  readonly dropped: number;
  readonly cpuMicros: number;
  readonly at: number;
}

const WORDS = 128 * 1024;
const WORD_BYTES = 20;
// An instance sends its emits in batches of 64 KiB (egret.instance.emit.batch.bytes).
const FRAME_TUPLES = Math.floor((64 * 1024) / (WORD_BYTES + 4));
const FRAMES_PER_SPOUT = 32;
const WARMUP_MS = 1000;

function parsePlan(argv: readonly string[]): Plan {
  const value = (name: string, fallback: string): string => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1]! : fallback;
  };
  return { spouts: Number(value('spouts', '1')), bolts: Number(value('bolts', '1')), seconds: Number(value('seconds', '5')), grouping: value('grouping', 'fields') as DataPathGrouping };
}

function routing(plan: Plan) {
  const spoutTasks = Array.from({ length: plan.spouts }, (_, i) => 1 + i);
  const boltTasks = Array.from({ length: plan.bolts }, (_, i) => 1 + plan.spouts + i);
  return {
    stmgrId: 'stmgr-1',
    tasks: [...spoutTasks.map((taskId) => ({ taskId, component: 'words', stmgrId: 'stmgr-1' })), ...boltTasks.map((taskId) => ({ taskId, component: 'count', stmgrId: 'stmgr-1' }))],
    peers: [],
    streams: [{ component: 'words', stream: 'default', subscribers: [{ component: 'count', grouping: plan.grouping, fieldIndices: [0], tasks: boltTasks }] }],
  };
}

/** The child: a stream manager answering the parent's samples. */
async function runStreamManager(plan: Plan): Promise<void> {
  const sm = await startStreamManager('stmgr-1');
  sm.dataPath.setRouting(routing(plan));
  process.on('message', (message: string) => {
    if (message === 'sample') {
      const stats = sm.dataPath.stats();
      const cpu = process.cpuUsage();
      const out = stats.connections.reduce((acc, c) => ({ tuples: acc.tuples + c.tuplesOut, bytes: acc.bytes + c.bytesOut }), { tuples: 0, bytes: 0 });
      const sample: Sample = {
        tuplesRouted: stats.tuplesRouted,
        tuplesOut: out.tuples,
        bytesOut: out.bytes,
        dropped: Object.values(stats.tuplesDropped).reduce((a, b) => a + b, 0),
        cpuMicros: cpu.user + cpu.system,
        at: performance.now(),
      };
      process.send!(sample);
    } else if (message === 'stop') {
      void sm.close().then(() => process.exit(0));
    }
  });
  process.send!({ endpoint: sm.endpoint });
}

function spoutFrames(task: number): Buffer[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  const pool = Array.from({ length: WORDS }, () => Buffer.from(Array.from(randomBytes(WORD_BYTES), (b) => alphabet[b % 26]).join('')));
  return Array.from({ length: FRAMES_PER_SPOUT }, () =>
    tupleSetFrame(task, 'words', 'default', Array.from({ length: FRAME_TUPLES }, () => ({ values: [pool[Math.floor(Math.random() * WORDS)]!] }))),
  );
}

async function runParent(plan: Plan): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--role', 'sm', ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: Array<(value: unknown) => void> = [];
  child.on('message', (message) => replies.shift()?.(message));
  const next = <T>(): Promise<T> => new Promise((resolve) => replies.push(resolve as (value: unknown) => void));
  const sample = (): Promise<Sample> => {
    const reply = next<Sample>();
    child.send('sample');
    return reply;
  };
  try {
    const { endpoint } = await next<{ endpoint: string }>();
    const bolts: FakeInstance[] = [];
    let received = 0;
    for (let i = 0; i < plan.bolts; i++) {
      const bolt = await FakeInstance.register(endpoint, 1 + plan.spouts + i, 'count');
      // Bolts read and count bytes only: decoding here would measure this process, not the stream manager.
      bolt.socket.removeAllListeners('data');
      bolt.socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      bolts.push(bolt);
    }
    let running = true;
    const spouts: FakeInstance[] = [];
    for (let i = 0; i < plan.spouts; i++) {
      const task = 1 + i;
      const spout = await FakeInstance.register(endpoint, task, 'words');
      const frames = spoutFrames(task);
      let at = 0;
      const pump = (): void => {
        while (running) {
          if (!spout.socket.write(frames[at++ % frames.length]!)) {
            spout.socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
      spouts.push(spout);
    }
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    const start = await sample();
    await new Promise((resolve) => setTimeout(resolve, plan.seconds * 1000));
    const end = await sample();
    running = false;
    const seconds = (end.at - start.at) / 1000;
    const tuples = end.tuplesOut - start.tuplesOut;
    const cpuSeconds = (end.cpuMicros - start.cpuMicros) / 1e6;
    const figures = {
      spouts: plan.spouts,
      bolts: plan.bolts,
      grouping: plan.grouping,
      tuple_bytes: WORD_BYTES,
      frame_tuples: FRAME_TUPLES,
      sm_tuples_per_s: Math.round(tuples / seconds),
      sm_mb_per_s: Math.round((end.bytesOut - start.bytesOut) / seconds / 1e5) / 10,
      sm_cpu_s_per_million: Math.round((cpuSeconds / (tuples / 1e6)) * 1000) / 1000,
      sm_cpu_ns_per_tuple: Math.round((cpuSeconds * 1e9) / tuples),
      sm_cpu_utilisation: Math.round((cpuSeconds / seconds) * 100) / 100,
      dropped: end.dropped,
      received_mb: Math.round(received / 1e5) / 10,
    };
    process.stdout.write(
      `stream manager data path: ${figures.sm_tuples_per_s.toLocaleString('en')} tuples/s through one SM (${plan.spouts} spout(s) → ${plan.bolts} bolt(s), ${plan.grouping} grouping), ` +
        `${figures.sm_cpu_ns_per_tuple} ns of SM CPU per tuple (${figures.sm_cpu_s_per_million} CPU s per million, ${figures.sm_cpu_utilisation} cores busy)\n`,
    );
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    for (const instance of [...spouts, ...bolts]) instance.close();
    child.send('stop');
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
  }
}

const plan = parsePlan(process.argv);
if (process.argv.includes('--role')) await runStreamManager(plan);
else await runParent(plan);
