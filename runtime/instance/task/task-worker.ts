// The task thread's entry point (a worker_thread started by the gateway): user code runs here, never on the
// thread that owns the socket.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromTask, TaskWorkerData, ToTask } from '../task-protocol.js';
import { TaskHost } from './task-host.js';

const port = parentPort;
if (!port) throw new Error('task-worker.js runs as a worker thread of egret-instance');
// User stack traces then point into the user's sources (the bundle carries an inline source map).
process.setSourceMapsEnabled(true);
const host = new TaskHost(workerData as TaskWorkerData, (message: FromTask, transfer?: readonly ArrayBuffer[]) => port.postMessage(message, transfer ? [...transfer] : []));
port.on('message', (message: ToTask) => host.handle(message));
