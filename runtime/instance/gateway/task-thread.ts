import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { unbundledRequested } from '../../../core/submit/installed-entry-point.js';
import type { FromTask, TaskWorkerData, ToTask } from '../task-protocol.js';

/**
 * The task thread's module: its bundle, dist/bundle/egret-task-worker.js (scripts/bundle-entry-points.mjs), when the
 * build made one and EGRET_UNBUNDLED is not set, as for the processes; else runtime/instance/task/task-worker.js.
 */
function taskWorkerModule(): URL {
  const bundle = new URL('../../../bundle/egret-task-worker.js', import.meta.url);
  return !unbundledRequested() && existsSync(bundle) ? bundle : new URL('../task/task-worker.js', import.meta.url);
}

export interface TaskThreadEvents {
  readonly onMessage: (message: FromTask) => void;
  /** The thread died: an uncaught error (user code throwing from a timer, say), or it exited on its own. */
  readonly onDeath: (reason: string, stack?: string) => void;
}

/**
 * The worker thread that owns the connection to the stream manager and runs the user's component
 * (runtime/instance/task/). The main thread talks to it only through {@link post}.
 */
export class TaskThread {
  private readonly worker: Worker;
  private terminating = false;

  constructor(data: TaskWorkerData, events: TaskThreadEvents) {
    this.worker = new Worker(taskWorkerModule(), { workerData: data });
    this.worker.on('message', events.onMessage);
    this.worker.on('error', (error: Error) => {
      if (!this.terminating) events.onDeath(`the task thread threw: ${error.message}`, error.stack);
    });
    this.worker.on('exit', (code) => {
      if (!this.terminating) events.onDeath(`the task thread exited with code ${code}`);
    });
  }

  post(message: ToTask): void {
    if (!this.terminating) this.worker.postMessage(message);
  }

  /** Stops the thread at once, wherever its code is. */
  async terminate(): Promise<void> {
    this.terminating = true;
    await this.worker.terminate();
  }
}
