/**
 * The contract between the stream manager's control plane (JS, runtime/stmgr) and its data path (the C++ addon in
 * this folder, behind a typed facade). See PROTOCOL.md for the frames and the routing rules. The data path owns
 * every socket and runs on its own thread; JS configures it and handles the rare control frames.
 */
import { EgretError } from '../core/errors.js';

export type DataPathErrorCode =
  /** Neither a build (build/Release) nor a prebuild for this platform was found: install from source or repack. */
  | 'DATA_PATH_ADDON_MISSING'
  /** An option is out of range (the message names it). */
  | 'DATA_PATH_INVALID_OPTIONS'
  /** A routing is inconsistent (a subscriber lists a task that is not of its component, a task listed twice...). */
  | 'DATA_PATH_INVALID_ROUTING'
  /** start() could not listen at the local endpoint or on the data port, or could not start its thread. */
  | 'DATA_PATH_START_FAILED'
  /** A method was called after close(), or start() twice. */
  | 'DATA_PATH_STATE';

/** Thrown by {@link createDataPath} and the {@link DataPath} methods; `cause` holds the addon's own error. */
export class DataPathError extends EgretError<DataPathErrorCode> {}

/** How a subscriber's tasks share a stream (PROTOCOL.md §4). */
export type DataPathGrouping = 'shuffle' | 'fields' | 'all' | 'global' | 'none' | 'direct' | 'custom';

/** One subscriber of a stream. */
export interface DataPathSubscriber {
  readonly component: string;
  readonly grouping: DataPathGrouping;
  /** For fields grouping: positions of the grouping fields in the stream's declared fields, in the subscriber's order. */
  readonly fieldIndices: readonly number[];
  /** The subscriber's task ids, ascending. */
  readonly tasks: readonly number[];
}

/** `topology.reliability.mode` as far as the data path is concerned (EFFECTIVELY_ONCE is not run). */
export type DataPathReliability = 'ATMOST_ONCE' | 'ATLEAST_ONCE';

/**
 * Where every stream of the topology goes, and where every task and peer is: built from the physical plan. A
 * component that subscribes to no stream is a spout: under ATLEAST_ONCE the data path keeps its roots' XOR values
 * (PROTOCOL.md §7), and back pressure stops reading its instances (§8).
 */
export interface DataPathRouting {
  /** This stream manager's id, `stmgr-<container>`. */
  readonly stmgrId: string;
  /**
   * Default ATMOST_ONCE: tuples are forwarded as written and control tuples from instances are dropped. Under
   * ATLEAST_ONCE each routed copy of a tuple with roots gets a fresh key, and acks, fails and emits are tracked.
   */
  readonly reliability?: DataPathReliability;
  /**
   * `topology.message.timeout.secs` in ms (default 30 000): a pending root is forgotten 1 to 1.5 times this late;
   * 0 keeps it until its tree ends (`topology.enable.message.timeouts` false).
   */
  readonly messageTimeoutMs?: number;
  /** `topology.droptuples.upon.backpressure` (default false): drop what would go over the high water mark instead. */
  readonly dropTuplesUponBackPressure?: boolean;
  /** Every task: its component and the stream manager hosting it. */
  readonly tasks: ReadonlyArray<{ readonly taskId: number; readonly component: string; readonly stmgrId: string }>;
  /** The other stream managers, which this one connects to. */
  readonly peers: ReadonlyArray<{ readonly stmgrId: string; readonly host: string; readonly port: number }>;
  /** Every declared stream, with its subscribers (possibly none). */
  readonly streams: ReadonlyArray<{ readonly component: string; readonly stream: string; readonly subscribers: readonly DataPathSubscriber[] }>;
}

export interface DataPathOptions {
  /** Where local instances connect: `unix:/path` or `unix-abstract:name` (PROTOCOL.md §2.1). */
  readonly localEndpoint: string;
  /** Host and port peers connect to; port 0 lets the OS choose. */
  readonly dataHost: string;
  readonly dataPort: number;
  /** The largest frame accepted on any connection (default 10 MiB, `egret.stmgr.max.frame.bytes`). */
  readonly maxFrameBytes?: number;
  /** A batch is sent once it holds this many bytes (default 256 KiB, `egret.stmgr.batch.max.bytes`). */
  readonly batchMaxBytes?: number;
  /**
   * The least time between two drains of the open batches (default 0.5 ms, `egret.stmgr.drain.interval.ms`;
   * fractions allowed): a batch goes at the end of the data thread's turn that opened it when the last drain is at
   * least this old, else once it is. 0: at every turn (native/PROTOCOL.md §5).
   */
  readonly drainIntervalMs?: number;
  /** Written into the back-pressure messages sent to peers (PROTOCOL.md §8). */
  readonly topologyName: string;
  readonly topologyId: string;
  /**
   * A connection whose queued bytes reach this is a cause of back pressure (default 16 MiB,
   * `egret.stmgr.backpressure.high.bytes`), until they fall to `backPressureLowBytes` (default 8 MiB,
   * `egret.stmgr.backpressure.low.bytes`; at most the high mark).
   */
  readonly backPressureHighBytes?: number;
  readonly backPressureLowBytes?: number;
}

/** A connection of the data path. */
export interface DataPathConnection {
  readonly id: number;
  readonly kind: 'instance' | 'peer-in' | 'peer-out';
  /** The task of an instance connection once attached. */
  readonly taskId?: number;
  /** The peer of a peer connection once known. */
  readonly stmgrId?: string;
}

/** What a back-pressure cause is: a local instance (by task) or a peer stream manager (its connection to us). */
export type DataPathBackPressureSource = { readonly kind: 'instance'; readonly taskId: number } | { readonly kind: 'peer'; readonly stmgrId: string };

/** A connection whose queue is over the high water mark (and not yet back to the low one). */
export type DataPathBackPressureCause = DataPathBackPressureSource & {
  readonly connection: number;
  /** When it became a cause, in ms since the epoch. */
  readonly since: number;
  /** Its queued bytes when reported. */
  readonly queuedBytes: number;
};

/** What the data path reports to the control plane (delivered on the JS thread, in order). */
export type DataPathEvent =
  /** A frame the data path does not handle itself (registrations, hellos, responses): the control plane answers. */
  | { readonly type: 'control'; readonly connection: DataPathConnection; readonly messageType: string; readonly requestId: Buffer; readonly payload: Buffer }
  /** A connection ended; `reason` says why (peer closed, malformed frame and which, I/O error). */
  | { readonly type: 'closed'; readonly connection: DataPathConnection; readonly reason: string }
  /**
   * A connection became a cause of back pressure, or stopped being one (`durationMs` long; `reason` when its
   * connection closed rather than drained). The first cause makes this stream manager announce; the last one's stop
   * ends the announcement.
   */
  | { readonly type: 'back-pressure'; readonly change: 'start' | 'stop'; readonly cause: DataPathBackPressureCause; readonly durationMs?: number; readonly reason?: string }
  /**
   * A peer announced back pressure (its `since`), or stopped (`durationMs` after it started); `detail` is the
   * announcement's message id, or why it ended without a stop (its connection closed).
   */
  | { readonly type: 'peer-back-pressure'; readonly change: 'start' | 'stop'; readonly stmgrId: string; readonly connection: number; readonly since: number; readonly durationMs?: number; readonly detail: string }
  /** Something the operator should see (dropped tuples by reason, refused connection), rate-limited by the data path. */
  | { readonly type: 'warning'; readonly message: string };

/**
 * Counters of one connection. `bytes*` count every byte read or written; `batches*` count data frames
 * (HeronTupleSet or TupleStreamMessage in; HeronTupleSet2 or TupleStreamMessage out) and `tuples*` their tuples.
 */
export interface DataPathConnectionStats extends DataPathConnection {
  readonly tuplesIn: number;
  readonly tuplesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly batchesIn: number;
  readonly batchesOut: number;
  /** AckTuples (acks, fails, emits) read from and written to this connection under ATLEAST_ONCE. */
  readonly controlTuplesIn: number;
  readonly controlTuplesOut: number;
  /** Bytes waiting to be written to this connection (what back pressure watches). */
  readonly queuedBytes: number;
  /** Frames refused: malformed (the connection then closed), or data dropped whole (see `tuplesDropped`). */
  readonly framesDropped: number;
}

export interface DataPathStats {
  /** Open connections, including peer-out connections still connecting. */
  readonly connections: readonly DataPathConnectionStats[];
  /** Tuple copies put into a batch for a destination task (a tuple with three destinations counts three). */
  readonly tuplesRouted: number;
  /**
   * Tuple copies dropped, by reason; every reason is present, most at 0. `unknown-stream` (a stream its component
   * does not declare), `bad-destination` (a dest_task_ids entry that is no task of a direct or custom subscriber),
   * `destination-unreachable` (a local task with no instance attached, a peer not connected, or a peer's tuples
   * for a task not here), `not-attached` (data before the registration or hello was accepted), `wrong-source`
   * (src_task_id is not the connection's task), `missing-fields` (fewer values than a fields grouping reads),
   * `no-routing` (data before the first setRouting), `unknown-root` (a control tuple for a root whose task is not
   * in the plan or not a spout of this stream manager), `backpressure-drop` (data tuples for a connection over
   * the high water mark, under `dropTuplesUponBackPressure`; control tuples, acks among them, are always queued).
   */
  readonly tuplesDropped: Readonly<Record<string, number>>;
  readonly backPressure: DataPathBackPressureStats;
  readonly acking: DataPathAckingStats;
}

/** Back pressure as this stream manager sees it (PROTOCOL.md §8). Times are totals since the data path started. */
export interface DataPathBackPressureStats {
  readonly causes: readonly DataPathBackPressureCause[];
  /** True while this stream manager has a cause: it has told its peers and holds its spouts. */
  readonly announcing: boolean;
  /** Peers announcing back pressure now, since when (ms since the epoch). */
  readonly announcers: ReadonlyArray<{ readonly stmgrId: string; readonly since: number }>;
  /** Local spout connections are not being read (announcing, or a peer announces). */
  readonly spoutsPaused: boolean;
  /** Milliseconds spent announcing (any cause). */
  readonly initiatedMs: number;
  /** Milliseconds each source has been a cause (several may overlap, so they may add up to more than `initiatedMs`). */
  readonly initiatedMsBySource: ReadonlyArray<DataPathBackPressureSource & { readonly ms: number }>;
  /** Milliseconds during which at least one peer announced. */
  readonly pausedByOthersMs: number;
}

/** The XOR trackers of this stream manager's spouts (PROTOCOL.md §7); all 0 under ATMOST_ONCE. */
export interface DataPathAckingStats {
  /** The routing asks for ATLEAST_ONCE. */
  readonly enabled: boolean;
  /** Roots of local spouts whose trees are incomplete. */
  readonly pendingRoots: number;
  /** Roots completed (acked to their spout), failed (by a fail), or forgotten after the message timeout. */
  readonly rootsAcked: number;
  readonly rootsFailed: number;
  readonly rootsExpired: number;
}

/**
 * The stream manager's data path. Every method returns at once (work happens on the data thread, in call order)
 * unless it returns a promise; none may be called after {@link close} (they throw DataPathError `DATA_PATH_STATE`).
 * Methods naming a connection that has closed meanwhile do nothing: its `closed` event is on its way.
 *
 * Registration is a request and a response: after a control frame from a connection not yet attached (an
 * instance's RegisterInstanceRequest, a peer's StrMgrHelloRequest), the data path stops reading that connection
 * until the control plane answers it ({@link send}), attaches it, or closes it, so nothing that follows the
 * request is read (or dropped) before the answer.
 */
export interface DataPath {
  /**
   * Listens at the local endpoint and on the data port, then starts the data thread; resolves with the port peers
   * connect to. Rejects with `DATA_PATH_START_FAILED` if an endpoint cannot be bound. While started, the data path
   * keeps the Node process alive, like a listening server, until {@link close}.
   */
  start(): Promise<{ readonly dataPort: number }>;
  /**
   * Replaces the routing (a new physical plan): open batches are sent first, then it connects to new peers (once
   * {@link setPeerHello} has been called) and drops connections, both ways, to peers no longer in it. Throws
   * `DATA_PATH_INVALID_ROUTING` at once for an inconsistent routing, which is then not applied.
   */
  setRouting(routing: DataPathRouting): void;
  /** Binds an instance connection to its task after the control plane accepted its registration; reading resumes. */
  attachTask(connectionId: number, taskId: number): void;
  /** Binds an incoming peer connection to the peer's id after the control plane accepted its hello; reading resumes. */
  attachPeer(connectionId: number, stmgrId: string): void;
  /**
   * The frame a new outgoing peer connection sends first (StrMgrHelloRequest), and how long to wait between
   * reconnects. No peer is connected before the first call. The peer's StrMgrHelloResponse arrives as a control
   * event on the `peer-out` connection; tuples flow to the peer as soon as the TCP connection is up.
   */
  setPeerHello(frame: { readonly messageType: string; readonly payload: Buffer }, reconnectIntervalMs: number): void;
  /** Queues a frame on a connection (responses and assignments the control plane sends); all-zero request id by default. */
  send(connectionId: number, messageType: string, payload: Buffer, requestId?: Buffer): void;
  /**
   * Closes one connection, with a reason for the log; a `closed` event follows. What was queued for it before (a
   * refusal just sent) is written first as far as the socket takes it at once.
   */
  closeConnection(connectionId: number, reason: string): void;
  /** A consistent snapshot of the counters (a short synchronous round trip to the data thread). */
  stats(): DataPathStats;
  /**
   * Adds a listener of events, delivered in order on the JS thread. A listener that throws does not keep the
   * others from the event; its error surfaces as an uncaught exception.
   */
  onEvent(listener: (event: DataPathEvent) => void): void;
  /**
   * Sends open batches, writes what the sockets take at once, stops the thread and closes every socket (no
   * `closed` event for them); resolves when the thread has exited. Safe to call twice.
   */
  close(): Promise<void>;
}
