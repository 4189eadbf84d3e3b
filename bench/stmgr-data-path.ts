// The stream manager data path's own benchmark (`node dist/bench/stmgr-data-path.js [--spouts N] [--bolts N]
// [--seconds S] [--grouping fields|shuffle] [--scenarios atmost-once,atleast-once-spout,atleast-once-anchored]`): one
// SM in a child process, fake spout instances pushing pre-encoded HeronTupleSet frames of 20-character words through
// it over the real Unix socket, fake bolts reading what it routes. Each scenario reports tuples/s through the SM and
// the SM process's CPU per tuple; the last line is one JSON object with every scenario's figures.
//   atmost-once            tuples without roots, ATMOST_ONCE: the fast path (no keys, no acking work)
//   atmost-once-rooted     the next scenario's tuples (a root each, 16 bytes more), ATMOST_ONCE: forwarded as written;
//                          the difference to atleast-once-spout is the cost of acking alone
//   atleast-once-spout     spout tuples with a root each, ATLEAST_ONCE: a fresh key per routed copy and the root's
//                          XOR updated in the spout's tracker (each spout's roots cycle over 1024, so its tracker
//                          holds what topology.max.spout.pending = 1024 would allow; no acks come back)
//   atleast-once-anchored  bolt tuples anchored to a root of a spout on another SM: a key per copy and one `emits`
//                          control tuple per tuple, batched to that SM (a raw TCP sink here)
// The end-to-end word count (real instances, acks included) is `npm run bench:throughput`'s job.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { DataPathGrouping, DataPathRouting } from '../native/index.js';
import { FakeInstance } from '../test/native/helpers/fake-instance.js';
import { startStreamManager } from '../test/native/helpers/stream-manager.js';
import { tupleSetFrame } from '../test/native/helpers/tuples.js';

const SCENARIOS = ['atmost-once', 'atmost-once-rooted', 'atleast-once-spout', 'atleast-once-anchored'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Plan {
  readonly spouts: number;
  readonly bolts: number;
  readonly seconds: number;
  readonly grouping: DataPathGrouping;
  readonly scenarios: readonly Scenario[];
}

interface Sample {
  readonly tuplesOut: number;
  readonly bytesOut: number;
  readonly controlOut: number;
  readonly dropped: number;
  readonly pendingRoots: number;
  readonly cpuMicros: number;
  readonly at: number;
}

const WORDS = 128 * 1024;
const WORD_BYTES = 20;
// An instance sends its emits in batches of 64 KiB (egret.instance.emit.batch.bytes); a root adds ~14 bytes.
const FRAME_BYTES = 64 * 1024;
const FRAMES_PER_SPOUT = 32;
const WARMUP_MS = 1000;
/** The spout task on the other (fake) SM that anchored tuples point to. */
const REMOTE_SPOUT = 1000;
/** Distinct roots per source: pending roots as a topology.max.spout.pending of this many would keep them. */
const ROOTS_PER_SOURCE = 1024;

function parsePlan(argv: readonly string[]): Plan {
  const value = (name: string, fallback: string): string => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1]! : fallback;
  };
  const scenarios = value('scenarios', SCENARIOS.join(',')).split(',') as Scenario[];
  for (const scenario of scenarios) if (!SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario}: one of ${SCENARIOS.join(', ')}`);
  return { spouts: Number(value('spouts', '1')), bolts: Number(value('bolts', '1')), seconds: Number(value('seconds', '5')), grouping: value('grouping', 'fields') as DataPathGrouping, scenarios };
}

/** Sources 1..spouts (a spout, or a bolt fed by a remote spout when anchored) → `count` bolts. */
function routing(plan: Plan, scenario: Scenario, sinkPort: number): DataPathRouting {
  const sources = Array.from({ length: plan.spouts }, (_, i) => 1 + i);
  const boltTasks = Array.from({ length: plan.bolts }, (_, i) => 1 + plan.spouts + i);
  const anchored = scenario === 'atleast-once-anchored';
  const source = anchored ? 'split' : 'words';
  return {
    stmgrId: 'stmgr-1',
    reliability: scenario.startsWith('atmost-once') ? 'ATMOST_ONCE' : 'ATLEAST_ONCE',
    tasks: [
      ...sources.map((taskId) => ({ taskId, component: source, stmgrId: 'stmgr-1' })),
      ...boltTasks.map((taskId) => ({ taskId, component: 'count', stmgrId: 'stmgr-1' })),
      ...(anchored ? [{ taskId: REMOTE_SPOUT, component: 'words', stmgrId: 'stmgr-2' }] : []),
    ],
    peers: anchored ? [{ stmgrId: 'stmgr-2', host: '127.0.0.1', port: sinkPort }] : [],
    streams: [
      ...(anchored ? [{ component: 'words', stream: 'default', subscribers: [{ component: 'split', grouping: 'shuffle' as const, fieldIndices: [], tasks: sources }] }] : []),
      { component: source, stream: 'default', subscribers: [{ component: 'count', grouping: plan.grouping, fieldIndices: [0], tasks: boltTasks }] },
    ],
  };
}

/** The child: a stream manager answering the parent's samples. */
async function runStreamManager(plan: Plan, scenario: Scenario, sinkPort: number): Promise<void> {
  const sm = await startStreamManager('stmgr-1');
  sm.dataPath.setRouting(routing(plan, scenario, sinkPort));
  process.on('message', (message: string) => {
    if (message === 'sample') {
      const stats = sm.dataPath.stats();
      const cpu = process.cpuUsage();
      const sum = (pick: (c: (typeof stats.connections)[number]) => number): number => stats.connections.reduce((n, c) => n + pick(c), 0);
      const sample: Sample = {
        tuplesOut: sum((c) => c.tuplesOut),
        bytesOut: sum((c) => c.bytesOut),
        controlOut: sum((c) => c.controlTuplesOut),
        dropped: Object.values(stats.tuplesDropped).reduce((a, b) => a + b, 0),
        pendingRoots: stats.acking.pendingRoots,
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

function spoutFrames(task: number, scenario: Scenario): { frames: Buffer[]; tuplesPerFrame: number } {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  const pool = Array.from({ length: WORDS }, () => Buffer.from(Array.from(randomBytes(WORD_BYTES), (b) => alphabet[b % 26]).join('')));
  const rootTask = scenario === 'atleast-once-spout' || scenario === 'atmost-once-rooted' ? task : scenario === 'atleast-once-anchored' ? REMOTE_SPOUT : undefined;
  const tupleBytes = WORD_BYTES + 4 + (rootTask === undefined ? 0 : 16) + 9;
  const tuplesPerFrame = Math.floor(FRAME_BYTES / tupleBytes);
  const roots = Array.from({ length: ROOTS_PER_SOURCE }, () => randomBytes(8).readBigInt64LE() || 1n);
  let next = 0;
  const root = (): Array<{ taskid: number; key: bigint }> => (rootTask === undefined ? [] : [{ taskid: rootTask, key: roots[next++ % roots.length]! }]);
  const frames = Array.from({ length: FRAMES_PER_SPOUT }, () =>
    tupleSetFrame(task, scenario === 'atleast-once-anchored' ? 'split' : 'words', 'default', Array.from({ length: tuplesPerFrame }, () => ({ values: [pool[Math.floor(Math.random() * WORDS)]!], roots: root() }))),
  );
  return { frames, tuplesPerFrame };
}

async function runScenario(plan: Plan, scenario: Scenario): Promise<Record<string, number | string>> {
  // The SM's peer in the anchored scenario: accepts the connection and discards what arrives.
  const sink = createServer((socket) => socket.resume().on('error', () => undefined));
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const sinkPort = (sink.address() as { port: number }).port;
  const child = fork(fileURLToPath(import.meta.url), ['--role', 'sm', '--scenario', scenario, '--sink-port', String(sinkPort), ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: Array<(value: unknown) => void> = [];
  child.on('message', (message) => replies.shift()?.(message));
  const next = <T>(): Promise<T> => new Promise((resolve) => replies.push(resolve as (value: unknown) => void));
  const sample = (): Promise<Sample> => {
    const reply = next<Sample>();
    child.send('sample');
    return reply;
  };
  const instances: FakeInstance[] = [];
  let running = true;
  try {
    const { endpoint } = await next<{ endpoint: string }>();
    let received = 0;
    for (let i = 0; i < plan.bolts; i++) {
      const bolt = await FakeInstance.register(endpoint, 1 + plan.spouts + i, 'count');
      // Bolts read and count bytes only: decoding here would measure this process, not the stream manager.
      bolt.socket.removeAllListeners('data');
      bolt.socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      instances.push(bolt);
    }
    let tuplesPerFrame = 0;
    for (let i = 0; i < plan.spouts; i++) {
      const task = 1 + i;
      const spout = await FakeInstance.register(endpoint, task, scenario === 'atleast-once-anchored' ? 'split' : 'words');
      const made = spoutFrames(task, scenario);
      tuplesPerFrame = made.tuplesPerFrame;
      let at = 0;
      const pump = (): void => {
        while (running) {
          if (!spout.socket.write(made.frames[at++ % made.frames.length]!)) {
            spout.socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
      instances.push(spout);
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
      scenario,
      sm_tuples_per_s: Math.round(tuples / seconds),
      sm_mb_per_s: Math.round((end.bytesOut - start.bytesOut) / seconds / 1e5) / 10,
      sm_cpu_ns_per_tuple: Math.round((cpuSeconds * 1e9) / tuples),
      sm_cpu_utilisation: Math.round((cpuSeconds / seconds) * 100) / 100,
      control_tuples_per_s: Math.round((end.controlOut - start.controlOut) / seconds),
      pending_roots: end.pendingRoots,
      frame_tuples: tuplesPerFrame,
      dropped: end.dropped,
      received_mb: Math.round(received / 1e5) / 10,
    };
    process.stdout.write(
      `${scenario}: ${figures.sm_tuples_per_s.toLocaleString('en')} tuples/s through one SM (${plan.spouts} source(s) → ${plan.bolts} bolt(s), ${plan.grouping} grouping), ` +
        `${figures.sm_cpu_ns_per_tuple} ns of SM CPU per tuple (${figures.sm_cpu_utilisation} cores busy)` +
        (scenario.startsWith('atmost-once') ? '' : `, ${figures.control_tuples_per_s.toLocaleString('en')} control tuples/s out, ${figures.pending_roots.toLocaleString('en')} roots pending`) +
        '\n',
    );
    child.send('stop');
    return figures;
  } finally {
    running = false;
    for (const instance of instances) instance.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
    await new Promise((resolve) => sink.close(resolve));
  }
}

async function runParent(plan: Plan): Promise<void> {
  const results: Record<string, Record<string, number | string>> = {};
  for (const scenario of plan.scenarios) results[scenario.replaceAll('-', '_')] = await runScenario(plan, scenario);
  const atmost = results.atmost_once;
  const summary = {
    spouts: plan.spouts,
    bolts: plan.bolts,
    grouping: plan.grouping,
    tuple_bytes: WORD_BYTES,
    ...(atmost ? { sm_tuples_per_s: atmost.sm_tuples_per_s, sm_cpu_ns_per_tuple: atmost.sm_cpu_ns_per_tuple } : {}),
    ...Object.fromEntries(
      Object.entries(results).flatMap(([name, figures]) => [
        [`${name}_tuples_per_s`, figures.sm_tuples_per_s],
        [`${name}_cpu_ns_per_tuple`, figures.sm_cpu_ns_per_tuple],
      ]),
    ),
    scenarios: results,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

const plan = parsePlan(process.argv);
if (process.argv.includes('--role')) {
  const at = (name: string): string => process.argv[process.argv.indexOf(`--${name}`) + 1]!;
  await runStreamManager(plan, at('scenario') as Scenario, Number(at('sink-port')));
} else {
  await runParent(plan);
}
