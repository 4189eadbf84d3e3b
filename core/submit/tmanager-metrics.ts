// What the topology manager's controller answers to `GET /metrics` and `GET /exceptions` (runtime/tmanager/README.md):
// written by runtime/tmanager, read by `egret status`. Defined once here, since core/ does not import runtime/.

/** The counts and mean latencies of an instance, or of a component (its instances together). */
export interface TManagerTupleMetrics {
  readonly emitted: number;
  readonly executed: number;
  readonly acked: number;
  readonly failed: number;
  /** Weighted by samples; null when there were none. */
  readonly completeLatencyMs: number | null;
  readonly executeLatencyMs: number | null;
  readonly processLatencyMs: number | null;
}

export interface TManagerInstanceMetrics extends TManagerTupleMetrics {
  readonly restarts: number;
  readonly inQueueDepth: number | null;
  readonly outQueueDepth: number | null;
  readonly lastReportMs: number;
}

export interface TManagerComponentMetrics extends TManagerTupleMetrics {
  /** By instance id (`container_<c>_<component>_<task>`). */
  readonly instances: Readonly<Record<string, TManagerInstanceMetrics>>;
}

export interface TManagerStMgrMetrics {
  readonly tuplesIn: number;
  readonly tuplesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly dropped: number;
  /** True while the stream manager announces back pressure. */
  readonly backPressure: boolean;
  /** Time spent initiating back pressure, whatever the cause. */
  readonly backPressureMs: number;
  /** Time in back pressure per cause: an instance id or a peer stream manager id. */
  readonly causes: Readonly<Record<string, number>>;
  /** The causes now, each with when it became one (ms since the epoch); empty while not in back pressure. */
  readonly active: Readonly<Record<string, number>>;
  /** The peer stream managers announcing back pressure now, each since when (ms since the epoch). */
  readonly peersAnnouncing: Readonly<Record<string, number>>;
  /** True while the stream manager does not read its local spouts (it announces, or a peer does). */
  readonly spoutsPaused: boolean;
  /** Time during which at least one peer announced back pressure (the spouts paused by others). */
  readonly pausedByOthersMs: number;
  readonly restarts: number;
  readonly lastReportMs: number;
}

/** `GET /metrics[?interval=<seconds>]`. */
export interface TManagerMetrics {
  readonly topology: string;
  readonly topologyId: string;
  /** The window the figures cover; null: since the topology manager started. */
  readonly intervalSeconds: number | null;
  readonly components: Readonly<Record<string, TManagerComponentMetrics>>;
  /** By stream manager id (`stmgr-<container>`). */
  readonly stmgrs: Readonly<Record<string, TManagerStMgrMetrics>>;
}

/** One entry of `GET /exceptions`: a user error, reports of the same one by the same instance merged. */
export interface TManagerException {
  readonly component: string;
  readonly instance: string;
  /** The instance's task (null for an instance id of another shape). */
  readonly task: number | null;
  readonly hostname: string;
  readonly message: string;
  readonly stacktrace: string;
  readonly count: number;
  /** As the instance wrote them. */
  readonly firstTime: string;
  readonly lastTime: string;
}
