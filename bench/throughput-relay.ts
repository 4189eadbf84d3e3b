// The baseline of bench:throughput: the same HeronTupleSet frames a word-count spout sends (20-letter words), moved
// sender → relay → receiver over Unix sockets, the relay forwarding bytes without routing. Three roles, one file:
//   node throughput-relay.js sender <socket> <seconds>     writes frames until the time is up
//   node throughput-relay.js relay <in-socket> <out-socket> accepts the sender, connects to the receiver, pipes
//   node throughput-relay.js receiver <socket> <report>    counts tuples, writes { tuples, at } every 200 ms
import { renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { heron } from '../core/proto/index.js';
import { encodeFrame, FrameReader } from '../runtime/protocol/frames.js';
import { MessageTypes } from '../runtime/common/message-types.js';

/** Tuples per frame: what an instance batches at egret.instance.emit.batch.bytes (64 KiB) of 20-letter words. */
export const TUPLES_PER_FRAME = 2000;

function wordFrame(): Buffer {
  const tuples = Array.from({ length: TUPLES_PER_FRAME }, (_, i) => ({ key: 0, values: [Buffer.concat([Buffer.from([1]), Buffer.from(`word${i}`.padEnd(20, 'x'))])] }));
  const payload = heron.proto.system.HeronTupleSet.encode({ data: { stream: { id: 'default', componentName: 'word' }, tuples }, srcTaskId: 1 }).finish();
  return encodeFrame(MessageTypes.HERON_TUPLE_SET, payload);
}

function sender(path: string, seconds: number): void {
  const frame = wordFrame();
  const socket = net.connect(path);
  const until = Date.now() + seconds * 1000;
  const pump = (): void => {
    while (Date.now() < until) if (!socket.write(frame)) return void socket.once('drain', pump);
    socket.end();
  };
  socket.on('connect', pump);
}

function relay(inPath: string, outPath: string): void {
  const out = net.connect(outPath);
  net.createServer((incoming) => incoming.pipe(out)).listen(inPath);
}

function receiver(path: string, report: string): void {
  let tuples = 0;
  const reader = new FrameReader(16 * 1024 * 1024);
  net.createServer((socket) => socket.on('data', (chunk: Buffer) => (tuples += reader.push(chunk).length * TUPLES_PER_FRAME))).listen(path);
  setInterval(() => {
    writeFileSync(`${report}.tmp`, JSON.stringify({ tuples, at: Date.now() }));
    renameSync(`${report}.tmp`, report);
  }, 200);
}

const [role, a = '', b = ''] = process.argv.slice(2);
if (role === 'sender') sender(a, Number(b));
else if (role === 'relay') relay(a, b);
else if (role === 'receiver') receiver(a, b);
