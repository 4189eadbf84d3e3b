/**
 * The messages between an instance's two threads (runtime/README.md): the task thread (a worker_thread) owns the
 * socket to the stream manager and runs the user's spout or bolt, so tuples go between the socket and the component
 * without crossing threads; the main thread registers the instance, checks each physical plan, publishes the
 * metrics and decides when the process ends. Only control messages cross, a few per plan, stop or metrics interval.
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
  /** Outgoing buffers the task thread may fill before the socket has taken them. */
  readonly outboundBuffers: number;
  /** How often the task thread reports its metrics (`egret.metrics.interval.ms`). */
  readonly metricsIntervalMs: number;
  /** The stream manager's local socket (an abstract name starts with NUL), which the task thread connects to. */
  readonly stmgrPath: string;
  /** How long to keep trying to reach the stream manager (it starts beside its instances), and how often. */
  readonly connectTimeoutMs: number;
  readonly connectRetryMs: number;
  /** Incoming batches: the size of each buffer and how many the component may hold unread. */
  readonly inboundBufferBytes: number;
  readonly inboundBuffers: number;
}

/** One frame in a buffer: `buffer[start, end)`. */
export interface FrameSlice {
  readonly buffer: ArrayBuffer;
  readonly start: number;
  readonly end: number;
}

/** A control message to or from the stream manager, as a frame carries it (runtime/protocol/frames.ts). */
export interface ControlMessage {
  readonly messageType: string;
  readonly payload: Uint8Array;
  readonly requestId: Uint8Array;
}

/** Main thread → task thread. */
export type ToTask =
  /** A control message to send to the stream manager (the registration request). */
  | ({ readonly kind: 'send' } & ControlMessage)
  /** A physical plan (an encoded heron.proto.system.PhysicalPlan): the first starts the component. */
  | { readonly kind: 'plan'; readonly plan: Uint8Array }
  /**
   * Shut down cleanly: deactivate and close a spout, clean up a bolt, send what is batched, end the connection once
   * written, then `stopped`.
   */
  | { readonly kind: 'stop' };

/** Task thread → main thread. */
export type FromTask =
  /** The connection to the stream manager is up: the main thread registers. */
  | { readonly kind: 'connected' }
  /** The stream manager could not be reached within the connect timeout. */
  | { readonly kind: 'connect-failed'; readonly message: string }
  /** A control message from the stream manager (registration response, new assignment); a copy. */
  | ({ readonly kind: 'control' } & ControlMessage)
  /** The connection is gone (closed by the stream manager, an I/O error, a malformed frame). */
  | { readonly kind: 'closed'; readonly reason: string }
  /** The component is created and opened (or prepared). */
  | { readonly kind: 'started'; readonly component: string; readonly componentIndex: number; readonly type: 'spout' | 'bolt' }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly message: string; readonly fields?: Readonly<Record<string, unknown>> }
  /**
   * The task's metrics since its previous report (PROTOCOL.md §9: counters as increases, latencies as means), the
   * user errors reported meanwhile, and the connection's queue depths now; every metrics interval, and once more
   * before `stopped` or `failed`.
   */
  | {
      readonly kind: 'metrics';
      readonly metrics: ReadonlyArray<readonly [string, number]>;
      readonly exceptions: readonly PublishedException[];
      readonly depths: QueueDepths;
    }
  /** User code threw, or the task cannot run: the process must exit non-zero. */
  | { readonly kind: 'failed'; readonly message: string; readonly stack?: string; readonly during: string }
  /** The clean shutdown asked by `stop` is complete. */
  | { readonly kind: 'stopped' };

/** The connection's gauges, reported with each metrics report. */
export interface QueueDepths {
  /** Incoming batches the component holds unread (when all are, the socket is not read). */
  readonly inQueue: number;
  /** Outgoing frames the socket has not taken yet. */
  readonly outQueue: number;
}
