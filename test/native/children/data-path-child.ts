/**
 * A child process (or worker) for the addon's teardown tests: it starts a data path with tuples flowing through
 * it, then ends in the way named by its argument. It reports on stdout as JSON lines.
 *   gc      drops the data path without closing it and collects it: its thread must stop and the process exit
 *   exit    process.exit() while the data thread is busy
 *   throw   an uncaught exception while the data thread is busy
 *   worker  (in a worker thread) runs like `exit`, but stays until the parent terminates the worker
 *   report  reports which addon file it loaded, closes the data path and exits: the installed-package check
 *   listener-throws  a listener throws on an event; the error must surface as an uncaught exception
 */
import { readdirSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createDataPath, type DataPath } from '../../../native/index.js';
import { addonPath } from '../../../native/load-addon.js';
import { FakeInstance } from '../helpers/fake-instance.js';
import { STRMGR_HELLO_REQUEST, testEndpoint } from '../helpers/stream-manager.js';
import { testRouting } from '../helpers/topology.js';
import { tupleSetFrame } from '../helpers/tuples.js';

const mode: string = isMainThread ? process.argv[2]! : (workerData as string);
const report = (message: Record<string, unknown>): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.stdout.write(`${JSON.stringify(message)}\n`);
};
const threads = (): number => readdirSync('/proc/self/task').length;

/** Starts a data path with one spout pumping tuples through it to one bolt; returns the bolt, to watch progress. */
async function busyDataPath(): Promise<{ dataPath: DataPath; bolt: FakeInstance; spout: FakeInstance }> {
  const endpoint = testEndpoint();
  const dataPath = createDataPath({ localEndpoint: endpoint, dataHost: '127.0.0.1', dataPort: 0, topologyName: 'topology', topologyId: 'topology-1' });
  // The listener holds nothing but what it needs: a data path it referenced could never be collected.
  dataPath.onEvent(acceptRegistrations(dataPath));
  dataPath.setPeerHello({ messageType: STRMGR_HELLO_REQUEST, payload: Buffer.alloc(0) }, 1000);
  await dataPath.start();
  dataPath.setRouting(testRouting('stmgr-1'));
  const bolt = await FakeInstance.register(endpoint, 11, 'lowest');
  const spout = await FakeInstance.register(endpoint, 1, 'words');
  const frame = tupleSetFrame(1, 'words', 'default', Array.from({ length: 500 }, () => ({ values: [Buffer.from('busy')] })));
  const pump = (): void => {
    while (!spout.closed && spout.socket.write(frame));
    if (!spout.closed) spout.socket.once('drain', pump);
  };
  pump();
  while (bolt.received.length < 5000) await new Promise((resolve) => setTimeout(resolve, 5));
  return { dataPath, bolt, spout };
}

function acceptRegistrations(dataPath: DataPath) {
  // A weak reference: the listener must not keep the data path alive (see the gc mode).
  const ref = new WeakRef(dataPath);
  return (event: Parameters<Parameters<DataPath['onEvent']>[0]>[0]): void => {
    if (event.type !== 'control') return;
    const target = ref.deref();
    if (!target) return;
    const task = event.payload.includes(Buffer.from('lowest')) ? 11 : 1;
    target.attachTask(event.connection.id, task);
    // RegisterInstanceResponse { status { status: OK } }
    target.send(event.connection.id, 'heron.proto.stmgr.RegisterInstanceResponse', Buffer.from([0x0a, 0x02, 0x08, 0x01]), event.requestId);
  };
}

if (mode === 'listener-throws') {
  process.on('uncaughtException', (error) => {
    report({ uncaught: error.message });
    process.exit(0);
  });
}

const before = threads();
const { bolt, spout, ...rest } = await busyDataPath();
// A `let`, so the gc mode can drop the only reference.
let dataPath: DataPath | undefined = rest.dataPath;
rest.dataPath = undefined as never;
report({ started: true, threadsBefore: before, threadsRunning: threads() });
if (mode === 'gc') {
  dataPath = undefined;
  // Nothing references the data path now. Collect it; its finalizer stops and joins the thread.
  const gc = (globalThis as { gc?: () => void }).gc!;
  for (let i = 0; i < 50 && threads() > before; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  report({ collected: true, threadsAfter: threads() });
  spout.close();
  bolt.close();
  // The process now exits by itself only if the addon released what kept the event loop alive.
} else if (mode === 'exit') {
  process.exit(0);
} else if (mode === 'throw') {
  throw new Error('deliberate uncaught exception while the data thread is busy');
} else if (mode === 'worker') {
  report({ busy: true });
} else if (mode === 'listener-throws') {
  dataPath!.onEvent((event) => {
    throw new Error(`listener threw on a ${event.type} event`);
  });
  spout.close();
} else if (mode === 'report') {
  report({ addon: addonPath(), tuples: bolt.received.length });
  await dataPath?.close();
  spout.close();
  bolt.close();
}
