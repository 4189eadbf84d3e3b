// The task thread's entry point (a worker_thread started by the main thread): it owns the connection to the stream
// manager and runs the user code, so tuples go between the socket and the component without crossing threads.
import { parentPort, workerData } from 'node:worker_threads';
// The API the topology module imports, loaded before source maps are enabled below: with them on, Node reads and
// parses the source map of every module it loads next, and the API's 33 modules cost 14 ms of CPU more that way.
// The topology module then finds it loaded (the same file), and only the user's code is mapped.
import '../../../api/index.js';
import { messageOf } from '../../../core/errors.js';
import { StmgrConnection } from '../connection/stmgr-connection.js';
import type { FromTask, TaskWorkerData, ToTask } from '../task-protocol.js';
import { TaskHost } from './task-host.js';

const port = parentPort;
if (!port) throw new Error('task-worker.js runs as a worker thread of egret-instance');
// User stack traces then point into the user's sources (the bundle carries an inline source map).
process.setSourceMapsEnabled(true);
const data = workerData as TaskWorkerData;
const post = (message: FromTask): void => port.postMessage(message);
const connection = new StmgrConnection(
  { bufferBytes: data.inboundBufferBytes, buffers: data.inboundBuffers, maxFrameBytes: data.maxFrameBytes },
  {
    onFrames: (buffer, length) => host.receive(buffer, length),
    // A copy goes to the main thread: the frame is a view of the read buffer, which the next read reuses.
    onControl: (frame) => post({ kind: 'control', messageType: frame.messageType, payload: new Uint8Array(frame.payload), requestId: new Uint8Array(frame.requestId) }),
    onWritten: (buffers) => host.credit(buffers),
    onClosed: (reason) => post({ kind: 'closed', reason }),
  },
);
const host = new TaskHost(data, post, connection);
port.on('message', (message: ToTask) => {
  if (message.kind === 'send') connection.send(message.messageType, message.payload, message.requestId);
  else host.handle(message);
});
connection.connect(data.stmgrPath, data.connectTimeoutMs, data.connectRetryMs).then(
  () => post({ kind: 'connected' }),
  (error: unknown) => post({ kind: 'connect-failed', message: messageOf(error) }),
);
