import { EgretError } from '../errors.js';
import type { ContainerPlan, PackingPlan } from './packing-plan.js';

export type SchedulerErrorCode =
  /** The cluster refused or failed to start the topology's containers. */
  | 'SCHEDULER_SCHEDULE_FAILED'
  /** Some containers could not be stopped; the message names them. */
  | 'SCHEDULER_KILL_FAILED'
  | 'SCHEDULER_RESTART_FAILED'
  | 'SCHEDULER_UPDATE_FAILED'
  /** A request named a container the topology does not have. */
  | 'SCHEDULER_UNKNOWN_CONTAINER'
  /** An update needs containers added or removed and the scheduler is not {@link Scalable}. */
  | 'SCHEDULER_NOT_SCALABLE'
  /** The scheduler process (service mode) could not be reached, or gave no readable answer (an answer that is an error keeps its own code). */
  | 'SCHEDULER_UNREACHABLE';

/** Thrown by {@link Scheduler} and {@link Scalable}; the message names the cluster object that failed. */
export class SchedulerError extends EgretError<SchedulerErrorCode> {}

/** Stops every process of the topology. */
export interface KillRequest {
  readonly topologyName: string;
}

/** Restarts the processes of one container, or of all when `containerId` is absent. Container 0 is the topology manager's. */
export interface RestartRequest {
  readonly topologyName: string;
  readonly containerId?: number;
}

/** Moves the topology from its current packing plan to a proposed one (`egret update`). */
export interface UpdateRequest {
  readonly topologyName: string;
  readonly current: PackingPlan;
  readonly proposed: PackingPlan;
}

/**
 * How a topology's scheduler lives: `service`, a process per topology serving kill, restart and update over HTTP
 * (local, YARN); `library`, created in the CLI for each command (Aurora, Kubernetes). A scheduler plugin's launcher
 * decides, and records it in the scheduler location so that runtime commands know how to reach the scheduler.
 */
export type SchedulerMode = 'service' | 'library';

/**
 * The `http_endpoint` a library-mode launcher writes in the topology's scheduler location (there is no server to
 * call; runtime commands create the scheduler in-process instead). Heron writes `scheduler_as_lib_no_endpoint`.
 */
export const LIBRARY_MODE_ENDPOINT = 'library://in-process';

/** The mode a scheduler location stands for. */
export function schedulerModeOf(httpEndpoint: string): SchedulerMode {
  return httpEndpoint === LIBRARY_MODE_ENDPOINT || httpEndpoint === 'scheduler_as_lib_no_endpoint' ? 'library' : 'service';
}

/** DI token of the {@link Scheduler} plugin chosen by `egret.scheduler`. */
export const Scheduler: unique symbol = Symbol.for('egret.spi.Scheduler');

/**
 * Runs a topology's containers on a cluster (local processes, YARN, Aurora, Kubernetes). Chosen by `egret.scheduler`.
 *
 * Two modes, one contract:
 * - service mode: the launcher starts a scheduler process per topology; it calls {@link onSchedule}, writes its
 *   location (an HTTP endpoint) to the state manager and serves kill, restart and update requests until killed
 *   (local, YARN);
 * - library mode: the CLI creates the scheduler in-process for each command, calls one method, then
 *   {@link close} (Aurora, Kubernetes: the cluster itself keeps the job alive).
 *
 * Every container of the plan gets an executor; container 0 (not in the plan) runs the topology manager.
 * The topology comes from the injected {@link TopologyRuntime}. Methods throw {@link SchedulerError}.
 */
export interface Scheduler {
  /**
   * Called once per submission after the topology, its packing plan and execution state are in the state
   * manager: requests one container per {@link ContainerPlan}, plus container 0, and starts their executors.
   * Resolves when the cluster has accepted every request, not when the processes are up.
   */
  onSchedule(plan: PackingPlan): Promise<void>;
  /** Links to the cluster's own pages about this job (stored with the scheduler location); empty when none. Called after onSchedule. */
  jobLinks(): readonly string[];
  /** Stops every process of the topology and releases its containers. Resolves when they are gone. */
  onKill(request: KillRequest): Promise<void>;
  /** Restarts one container's processes, or all. SCHEDULER_UNKNOWN_CONTAINER for an id the topology lacks. */
  onRestart(request: RestartRequest): Promise<void>;
  /**
   * Applies a new packing plan: containers in `proposed` but not `current` are added, those only in `current`
   * removed (both need {@link Scalable}), and the state's packing plan replaced so executors pick up their tasks.
   */
  onUpdate(request: UpdateRequest): Promise<void>;
  /** Releases what the scheduler holds in this process (not the topology's containers). Safe to call twice. */
  close(): Promise<void>;
}

/** Optional: a scheduler that can add and remove containers of a running topology (needed by `egret update`). */
export interface Scalable {
  /**
   * Requests new containers. Returns them as the cluster granted them: a cluster may assign other ids than those
   * asked for (Aurora does) and may set `scheduled` resources.
   */
  addContainers(containers: readonly ContainerPlan[]): Promise<ContainerPlan[]>;
  /** Stops and releases containers; resolves when their processes are gone. */
  removeContainers(containers: readonly ContainerPlan[]): Promise<void>;
}

/** True when the scheduler also implements {@link Scalable}. */
export function isScalable(scheduler: Scheduler): scheduler is Scheduler & Scalable {
  const candidate = scheduler as Partial<Scalable>;
  return typeof candidate.addContainers === 'function' && typeof candidate.removeContainers === 'function';
}
