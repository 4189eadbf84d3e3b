/**
 * The contract between the stream manager's control plane (JS, runtime/stmgr) and its data path (the C++ addon in
 * this folder, behind a typed facade). See PROTOCOL.md for the frames and the routing rules. The data path owns
 * every socket and runs on its own thread; JS configures it and handles the rare control frames.
 */

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

/** Where every stream of the topology goes, and where every task and peer is: built from the physical plan. */
export interface DataPathRouting {
  /** This stream manager's id, `stmgr-<container>`. */
  readonly stmgrId: string;
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
  /** The largest frame accepted on any connection (default 10 MiB). */
  readonly maxFrameBytes?: number;
  /** A batch is sent once it holds this many bytes (default 256 KiB). */
  readonly batchMaxBytes?: number;
  /** Open batches are sent at least this often (default 2 ms). */
  readonly drainIntervalMs?: number;
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

/** What the data path reports to the control plane (delivered on the JS thread, in order). */
export type DataPathEvent =
  /** A frame the data path does not handle itself (registrations, hellos, responses): the control plane answers. */
  | { readonly type: 'control'; readonly connection: DataPathConnection; readonly messageType: string; readonly requestId: Buffer; readonly payload: Buffer }
  /** A connection ended; `reason` says why (peer closed, malformed frame and which, I/O error). */
  | { readonly type: 'closed'; readonly connection: DataPathConnection; readonly reason: string }
  /** Something the operator should see (dropped tuples by reason, refused connection), rate-limited by the data path. */
  | { readonly type: 'warning'; readonly message: string };

export interface DataPathConnectionStats extends DataPathConnection {
  readonly tuplesIn: number;
  readonly tuplesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly batchesIn: number;
  readonly batchesOut: number;
  /** Bytes waiting to be written to this connection. */
  readonly queuedBytes: number;
  readonly framesDropped: number;
}

export interface DataPathStats {
  readonly connections: readonly DataPathConnectionStats[];
  readonly tuplesRouted: number;
  /** Tuples dropped, by reason (`unknown-stream`, `bad-destination`, `destination-unreachable`, ...). */
  readonly tuplesDropped: Readonly<Record<string, number>>;
}

/**
 * The stream manager's data path. Every method returns at once (work happens on the data thread) unless it
 * returns a promise; none may be called after {@link close}.
 */
export interface DataPath {
  /** Starts the data thread and listens; resolves with the port peers connect to. Fails if an endpoint cannot be bound. */
  start(): Promise<{ readonly dataPort: number }>;
  /** Replaces the routing (a new physical plan); connects to new peers and drops connections to peers no longer in it. */
  setRouting(routing: DataPathRouting): void;
  /** Binds an instance connection to its task after the control plane accepted its registration. */
  attachTask(connectionId: number, taskId: number): void;
  /** Binds an incoming peer connection to the peer's id after the control plane accepted its hello. */
  attachPeer(connectionId: number, stmgrId: string): void;
  /** The frame a new outgoing peer connection sends first (StrMgrHelloRequest), and how long to wait between reconnects. */
  setPeerHello(frame: { readonly messageType: string; readonly payload: Buffer }, reconnectIntervalMs: number): void;
  /** Queues a frame on a connection (responses and assignments the control plane sends). */
  send(connectionId: number, messageType: string, payload: Buffer, requestId?: Buffer): void;
  /** Closes one connection, with a reason for the log. */
  closeConnection(connectionId: number, reason: string): void;
  /** A consistent snapshot of the counters. */
  stats(): DataPathStats;
  /** Events, in order, on the JS thread. */
  onEvent(listener: (event: DataPathEvent) => void): void;
  /** Stops the thread and closes every socket; resolves when the thread has exited. Safe to call twice. */
  close(): Promise<void>;
}
