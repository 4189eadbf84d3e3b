import type { TManagerException } from './tmanager-controller-client.js';

/**
 * What `egret status` and `egret list` report. These shapes are what `--format json` prints: they are documented
 * in core/cli/README.md and scripts rely on them, so fields are added, never renamed or removed. A figure that
 * cannot be known (the topology manager did not answer) is null, never 0.
 */

/** The live state of a running topology: RUNNING, or PAUSED after `egret deactivate` or `--deploy-deactivated`. */
export type LiveTopologyState = 'RUNNING' | 'PAUSED';

/** The four counters of an instance or a component. */
export interface TupleCounts {
  readonly emitted: number | null;
  readonly executed: number | null;
  readonly acked: number | null;
  readonly failed: number | null;
}

/** One task of the topology, where the packing plan put it. */
export interface InstanceStatus extends TupleCounts {
  /** `container_<c>_<component>_<task>` (native/PROTOCOL.md §2). */
  readonly id: string;
  readonly component: string;
  readonly taskId: number;
  readonly componentIndex: number;
  /** In the published physical plan: registered with its stream manager, which registered with the topology manager. */
  readonly running: boolean;
  /** How often its process was restarted, as it reported. */
  readonly restarts: number | null;
}

/** A container's stream manager, as the physical plan has it. */
export interface StreamManagerStatus {
  readonly id: string;
  readonly host: string;
  readonly dataPort: number;
  readonly pid: number | null;
}

/** One container of the packing plan (container 0, the topology manager's, is {@link TopologyStatus.tmanager}). */
export interface ContainerStatus {
  readonly id: number;
  /** Null until the stream manager registered and the physical plan was published. */
  readonly stmgr: StreamManagerStatus | null;
  /** Whether its stream manager announces back pressure now, and the time it spent doing so; null when unknown. */
  /** Time in back pressure; whether it is now, and the connections causing it now (instance or peer id → since, ISO). */
  readonly backPressure: { readonly active: boolean; readonly ms: number; readonly causes: Readonly<Record<string, string>> } | null;
  readonly instances: readonly InstanceStatus[];
}

/** One spout or bolt with the figures of its instances together. */
export interface ComponentStatus extends TupleCounts {
  readonly name: string;
  readonly kind: 'spout' | 'bolt';
  readonly parallelism: number;
  /** Means weighted by samples; null when no sample arrived or unknown. */
  readonly completeLatencyMs: number | null;
  readonly executeLatencyMs: number | null;
  readonly processLatencyMs: number | null;
  /** Time stream managers spent in back pressure caused by this component's instances. */
  readonly backPressureMs: number | null;
  /** User errors its instances reported (the counts of the kept errors, added). */
  readonly errors: number | null;
}

/** Where the live figures came from, or why there are none. */
export type MetricsAvailability =
  | { readonly available: true; readonly intervalSeconds: number | null; readonly asOf: string }
  | { readonly available: false; readonly reason: string };

/** `egret status <cluster> <topology>`. */
export interface TopologyStatus {
  readonly cluster: string;
  readonly role: string;
  readonly environment: string;
  readonly topology: string;
  readonly id: string;
  readonly state: LiveTopologyState;
  readonly submittedBy: string | null;
  /** ISO 8601. */
  readonly submittedAt: string | null;
  readonly tmanager: { readonly host: string; readonly serverPort: number; readonly controllerPort: number } | null;
  readonly containers: readonly ContainerStatus[];
  readonly components: readonly ComponentStatus[];
  readonly metrics: MetricsAvailability;
  /** The user errors the topology manager keeps, the most recently reported last; null when unknown. */
  readonly exceptions: readonly TManagerException[] | null;
}

/** One line of `egret list`. */
export interface TopologyListEntry {
  readonly topology: string;
  readonly id: string | null;
  readonly role: string | null;
  readonly environment: string | null;
  readonly state: LiveTopologyState | null;
  readonly containers: number | null;
  readonly instances: number | null;
  /** The instances in the published physical plan of this submission. */
  readonly instancesRunning: number | null;
  readonly submittedBy: string | null;
  readonly submittedAt: string | null;
  /** Why some fields are null: a state node missing (half-submitted or half-killed) or unreadable. */
  readonly problem?: string;
}

/** `egret list <cluster>[/<role>[/<env>]]`. */
export interface TopologyList {
  readonly cluster: string;
  /** The role and environment the list was narrowed to; null: all. */
  readonly role: string | null;
  readonly environment: string | null;
  readonly topologies: readonly TopologyListEntry[];
}
