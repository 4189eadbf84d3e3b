// Two real instance processes of the word count (examples/word-count: random 20-letter words from a pool of 128K),
// spout → bolt, joined by a bare relay in this process that renames each HeronTupleSet frame to HeronTupleSet2
// (their payloads are the same bytes) and forwards it: what the instances cost end to end, without a stream
// manager's routing. `node dist/bench/instance-pipeline.js [seconds per run] [runs]`; prints one JSON line last.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopologyDefinition } from '../api/topology-definition.js';
import { buildTopologyPackage, unpackTopologyPackage } from '../core/package/index.js';
import { heron, topologyToProto } from '../core/proto/index.js';
import { loadTopology } from '../core/topology/topology-loader.js';
import { encodeFrame } from '../runtime/protocol/frames.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.argv[2] ?? 10);
const RUNS = Number(process.argv[3] ?? 3);
/** Extra node options for the instances, e.g. BENCH_INSTANCE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'. */
const NODE_ARGS = (process.env['BENCH_INSTANCE_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
const TUPLE_SET = 'heron.proto.system.HeronTupleSet';
const TUPLE_SET2_TYPE = Buffer.from('heron.proto.system.HeronTupleSet2', 'latin1');

async function buildPackage(dir: string): Promise<{ packageDir: string; topology: TopologyDefinition; topologyId: string }> {
  const file = join(ROOT, 'examples', 'word-count', 'word-count-topology.ts');
  const args = ['1'];
  const { topology } = await loadTopology(file, { args, config: {} });
  const topologyId = `word-count-bench-${Date.now().toString(36)}`;
  const built = await buildTopologyPackage({
    topologyFile: file,
    topology,
    runtime: { topologyName: topology.name, topologyId, cluster: 'local', role: 'bench', environment: 'bench' },
    config: topology.config,
    topologyArgs: args,
    output: join(dir, 'word-count.tgz'),
  });
  const pkg = await unpackTopologyPackage(built.file, join(dir, 'package'));
  return { packageDir: pkg.dir, topology, topologyId };
}

function physicalPlan(topology: TopologyDefinition, topologyId: string, endpoint: string): heron.proto.system.PhysicalPlan {
  return heron.proto.system.PhysicalPlan.create({
    topology: topologyToProto(topology, { id: topologyId }),
    stmgrs: [{ id: 'stmgr-1', hostName: 'localhost', dataPort: 0, localEndpoint: endpoint }],
    instances: [
      { instanceId: 'container_1_word_1', stmgrId: 'stmgr-1', info: { taskId: 1, componentIndex: 0, componentName: 'word' } },
      { instanceId: 'container_1_count_2', stmgrId: 'stmgr-1', info: { taskId: 2, componentIndex: 0, componentName: 'count' } },
    ],
  });
}

/** The relay: answers registrations, then forwards the spout's frames to the bolt, counting tuples. */
class Relay {
  tuples = 0;
  frames = 0;
  private spout: net.Socket | undefined;
  private bolt: net.Socket | undefined;
  private readonly early: Buffer[] = [];

  constructor(private readonly plan: heron.proto.system.PhysicalPlan) {}

  accept(socket: net.Socket): void {
    let pending = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      let data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (data.length - offset >= 4) {
        const size = data.readUInt32BE(offset);
        if (data.length - offset - 4 < size) break;
        this.frame(socket, data.subarray(offset + 4, offset + 4 + size));
        offset += 4 + size;
      }
      pending = offset === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(offset));
      data = pending;
    });
  }

  private frame(socket: net.Socket, body: Buffer): void {
    const typeLength = body.readUInt32BE(0);
    const type = body.toString('latin1', 4, 4 + typeLength);
    const payloadAt = 4 + typeLength + 32 + 4;
    if (type === TUPLE_SET) {
      this.tuples += countTuples(body, payloadAt);
      this.frames++;
      const header = Buffer.alloc(8 + TUPLE_SET2_TYPE.length + 32 + 4);
      header.writeUInt32BE(header.length - 4 + body.length - payloadAt, 0);
      header.writeUInt32BE(TUPLE_SET2_TYPE.length, 4);
      TUPLE_SET2_TYPE.copy(header, 8);
      header.writeUInt32BE(body.length - payloadAt, header.length - 4);
      this.forward(Buffer.concat([header, body.subarray(payloadAt)]));
      return;
    }
    if (type === 'heron.proto.stmgr.RegisterInstanceRequest') {
      const request = heron.proto.stmgr.RegisterInstanceRequest.decode(body.subarray(payloadAt));
      if (request.instance.info.taskId === 1) this.spout = socket;
      else this.bolt = socket;
      const response = heron.proto.stmgr.RegisterInstanceResponse.encode({ status: { status: heron.proto.system.StatusCode.OK }, pplan: this.plan }).finish();
      socket.write(encodeFrame('heron.proto.stmgr.RegisterInstanceResponse', response, body.subarray(4 + typeLength, 4 + typeLength + 32)));
      if (this.bolt) for (const frame of this.early.splice(0)) this.forward(frame);
    }
  }

  private forward(frame: Buffer): void {
    const bolt = this.bolt;
    if (!bolt) {
      this.early.push(frame);
      return;
    }
    // A bolt slower than the spout pushes back: stop reading the spout until the bolt's socket drains.
    if (!bolt.write(frame) && this.spout && !this.spout.isPaused()) {
      this.spout.pause();
      bolt.once('drain', () => this.spout?.resume());
    }
  }
}

/** Tuples in a HeronTupleSet payload: the entries of field 2 of its field 1. */
function countTuples(body: Buffer, at: number): number {
  let p = at;
  const end = body.length;
  let count = 0;
  while (p < end) {
    const tag = body[p++]!;
    const [length, next] = varint(body, p);
    p = next;
    if (tag === 0x0a) {
      const dataEnd = p + length;
      while (p < dataEnd) {
        const inner = body[p++]!;
        const [innerLength, after] = varint(body, p);
        if (inner === 0x12) count++;
        p = after + innerLength;
      }
    } else if (tag !== 0x18) {
      p += length;
    }
  }
  return count;
}

function varint(b: Buffer, p: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const c = b[p++]!;
    value += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) return [value, p];
    shift += 7;
  }
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssBytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = mkdtempSync(join(tmpdir(), 'egret-bench-'));
const children: ChildProcess[] = [];
try {
  const { packageDir, topology, topologyId } = await buildPackage(dir);
  const socketPath = join(dir, 'relay.sock');
  const endpoint = `unix:${socketPath}`;
  const relay = new Relay(physicalPlan(topology, topologyId, endpoint));
  const server = net.createServer((socket) => relay.accept(socket));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const instance = (taskId: number, component: string): ChildProcess => {
    const child = spawn(
      process.execPath,
      [...NODE_ARGS, join(ROOT, 'dist', 'bin', 'egret-instance.js'), '--package-dir', packageDir, '--container', '1', '--task-id', String(taskId), '--stmgr-endpoint', endpoint, '--component', component, '--component-index', '0'],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, EGRET_LOG_LEVEL: 'warn' } },
    );
    children.push(child);
    return child;
  };
  const bolt = instance(2, 'count');
  const spout = instance(1, 'word');
  await sleep(3000);
  const results: Array<{ tps: number; spoutCpu: number; boltCpu: number; relayCpu: number }> = [];
  for (let run = 0; run < RUNS; run++) {
    const start = { frames: relay.frames, tuples: relay.tuples, at: performance.now(), spout: cpuSeconds(spout.pid!), bolt: cpuSeconds(bolt.pid!), relay: process.cpuUsage() };
    await sleep(SECONDS * 1000);
    const tuples = relay.tuples - start.tuples;
    const frames = relay.frames - start.frames;
    const seconds = (performance.now() - start.at) / 1000;
    const relayCpu = process.cpuUsage(start.relay);
    const result = {
      tps: tuples / seconds,
      spoutCpu: ((cpuSeconds(spout.pid!) - start.spout) / tuples) * 1e6,
      boltCpu: ((cpuSeconds(bolt.pid!) - start.bolt) / tuples) * 1e6,
      relayCpu: ((relayCpu.user + relayCpu.system) / 1e6 / tuples) * 1e6,
    };
    results.push(result);
    console.log(
      `run ${run + 1}: ${Math.round(result.tps)} tuples/s (${Math.round(tuples / frames)} a frame); CPU s per million tuples: spout ${result.spoutCpu.toFixed(2)}, bolt ${result.boltCpu.toFixed(2)}, relay ${result.relayCpu.toFixed(2)}; RSS spout ${(rssBytes(spout.pid!) / 2 ** 20).toFixed(0)} MiB, bolt ${(rssBytes(bolt.pid!) / 2 ** 20).toFixed(0)} MiB`,
    );
  }
  const median = (key: keyof (typeof results)[number]): number => [...results].sort((a, b) => a[key] - b[key])[results.length >> 1]![key];
  console.log(
    JSON.stringify({
      instance_pipeline_tps: Math.round(median('tps')),
      spout_cpu_s_per_million: Number(median('spoutCpu').toFixed(3)),
      bolt_cpu_s_per_million: Number(median('boltCpu').toFixed(3)),
      relay_cpu_s_per_million: Number(median('relayCpu').toFixed(3)),
      spout_rss_mib: Math.round(rssBytes(spout.pid!) / 2 ** 20),
      bolt_rss_mib: Math.round(rssBytes(bolt.pid!) / 2 ** 20),
    }),
  );
  server.close();
} finally {
  // SIGTERM first: a clean exit writes the profiles of NODE_OPTIONS=--cpu-prof runs.
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve)))), sleep(5000)]);
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
