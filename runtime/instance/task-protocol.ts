/**
 * The messages between an instance's two threads (runtime/README.md, Heron's gateway and executor): the gateway on
 * the main thread owns the socket to the stream manager; the task thread (a worker_thread) runs the user's spout or
 * bolt. Tuples cross only in batches, as transferred ArrayBuffers, and each direction has a fixed number of buffers
 * (credit): a buffer comes back once its receiver is done with it, so memory stays bounded and a slow side stops the
 * other.
 */
import type { ConfigMap } from '../../api/config-value.js';
import type { LogLevel } from '../../core/logging.js';
import type { PublishedException } from '../metrics/metrics-publisher.js';

/** What the task thread is started with. */
export interface TaskWorkerData {
  readonly packageDir: string;
  /** The bundled topology module, absolute. */
  readonly moduleFile: string;
  /** Given to a topology module's default-export function. */
  readonly moduleArgs: readonly string[];
  /** The package's config.json: the topology's effective configuration. */
  readonly config: ConfigMap;
  readonly taskId: number;
  /** A frame is sent once it holds this many bytes of tuples (`egret.instance.emit.batch.bytes`). */
  readonly emitBatchBytes: number;
  /** ... or once its first tuple is this old (`egret.instance.emit.batch.ms`). */
  readonly emitBatchMs: number;
  /** The largest frame the stream manager accepts (`egret.stmgr.max.frame.bytes`). */
  readonly maxFrameBytes: number;
  /** Outgoing buffers the task thread may fill before the gateway hands them back. */
  readonly outboundBuffers: number;
  /** How often the task thread reports its metrics (`egret.metrics.interval.ms`). */
  readonly metricsIntervalMs: number;
}

/** One frame in a buffer: `buffer[start, end)`. */
export interface FrameSlice {
  readonly buffer: ArrayBuffer;
  readonly start: number;
  readonly end: number;
}

/** Gateway → task thread. */
export type ToTask =
  /** A physical plan (an encoded heron.proto.system.PhysicalPlan): the first starts the component. */
  | { readonly kind: 'plan'; readonly plan: Uint8Array }
  /** Complete frames from the stream manager in `buffer[0, length)`; returned with `consumed` once read. */
  | { readonly kind: 'frames'; readonly buffer: ArrayBuffer; readonly length: number }
  /** Outgoing buffers the gateway has written to the socket, handed back for reuse. */
  | { readonly kind: 'credit'; readonly buffers: readonly ArrayBuffer[] }
  /** Shut down cleanly: deactivate and close a spout, clean up a bolt, send what is batched, then `stopped`. */
  | { readonly kind: 'stop' };

/** Task thread → gateway. */
export type FromTask =
  /** Encoded HeronTupleSet frames to write, in order; each buffer comes back with `credit` once written. */
  | { readonly kind: 'frames'; readonly frames: readonly FrameSlice[] }
  /** An incoming buffer the task thread has read; the gateway may fill it again. */
  | { readonly kind: 'consumed'; readonly buffer: ArrayBuffer }
  /** The component is created and opened (or prepared). */
  | { readonly kind: 'started'; readonly component: string; readonly componentIndex: number; readonly type: 'spout' | 'bolt' }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly message: string; readonly fields?: Readonly<Record<string, unknown>> }
  /**
   * The task's metrics since its previous report (PROTOCOL.md §9: counters as increases, latencies as means), and
   * the user errors reported meanwhile; every metrics interval, and once more before `stopped` or `failed`.
   */
  | { readonly kind: 'metrics'; readonly metrics: ReadonlyArray<readonly [string, number]>; readonly exceptions: readonly PublishedException[] }
  /** User code threw, or the task cannot run: the process must exit non-zero. */
  | { readonly kind: 'failed'; readonly message: string; readonly stack?: string; readonly during: string }
  /** The clean shutdown asked by `stop` is complete. */
  | { readonly kind: 'stopped' };
