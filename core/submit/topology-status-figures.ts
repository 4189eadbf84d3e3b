import { heron, type ProtoExecutionState, type ProtoPackingPlan, type ProtoPhysicalPlan, type ProtoTManagerLocation, type ProtoTopology, toSafeNumber } from '../proto/index.js';
import type { TManagerComponentMetrics, TManagerException, TManagerMetrics, TManagerStMgrMetrics } from './tmanager-controller-client.js';
import type { ComponentStatus, ContainerStatus, InstanceStatus, LiveTopologyState, MetricsAvailability, TopologyStatus } from './topology-status-types.js';

/** What the topology manager answered, or why it did not. */
export type LiveFigures =
  | { readonly metrics: TManagerMetrics; readonly exceptions: readonly TManagerException[]; readonly asOfMs: number }
  | { readonly unavailable: string };

/** Everything `egret status` reads, from the state and the topology manager. */
export interface StatusSources {
  readonly cluster: string;
  readonly execution: ProtoExecutionState;
  readonly topology: ProtoTopology;
  readonly packingPlan: ProtoPackingPlan;
  readonly physicalPlan?: ProtoPhysicalPlan | undefined;
  readonly tmanager?: ProtoTManagerLocation | undefined;
  readonly live: LiveFigures;
}

/** The id of a task's instance: `container_<c>_<component>_<task>` (native/PROTOCOL.md §2). */
export function instanceIdOf(container: number, component: string, taskId: number): string {
  return `container_${container}_${component}_${taskId}`;
}

/** The physical plan when it is this submission's (a plan of an earlier one says nothing about this one). */
export function currentPhysicalPlan(plan: ProtoPhysicalPlan | undefined, topologyId: string): ProtoPhysicalPlan | undefined {
  return plan && plan.topology?.id === topologyId ? plan : undefined;
}

/** The live state: the physical plan's when there is one (the topology manager's word), else the topology node's. */
export function liveStateOf(topology: ProtoTopology, plan: ProtoPhysicalPlan | undefined): LiveTopologyState {
  const state = plan?.topology?.state ?? topology.state;
  return state === heron.proto.api.TopologyState.PAUSED ? 'PAUSED' : 'RUNNING';
}

/** Who submitted the topology and when (ISO 8601), from its execution state. */
export function submissionOf(execution: ProtoExecutionState): { submittedBy: string | null; submittedAt: string | null } {
  const time = execution.submissionTime;
  const seconds = time === undefined || time === null ? 0 : toSafeNumber(time, 'submission_time');
  return { submittedBy: execution.submissionUser || null, submittedAt: seconds > 0 ? new Date(seconds * 1000).toISOString() : null };
}

/**
 * Puts together what `egret status` shows: the containers of the packing plan with their stream managers and
 * instances (from the physical plan), and per component and instance the figures of the topology manager's metrics
 * cache. Back pressure is attributed to a component through the causes the stream managers report (an instance id;
 * a peer stream manager as cause counts for the container only). Pure: the tests feed it made-up sources.
 */
export function buildTopologyStatus(sources: StatusSources): TopologyStatus {
  const { execution, topology, live } = sources;
  const plan = currentPhysicalPlan(sources.physicalPlan, execution.topologyId);
  const metrics = 'metrics' in live ? live.metrics : undefined;
  const running = new Set((plan?.instances ?? []).map((i) => i.instanceId));
  const componentOfInstance = new Map<string, string>();

  const containers: ContainerStatus[] = [...(sources.packingPlan.containerPlans ?? [])]
    .sort((a, b) => a.id - b.id)
    .map((container) => {
      const stmgrId = `stmgr-${container.id}`;
      const stmgr = plan?.stmgrs?.find((s) => s.id === stmgrId);
      const instances = [...(container.instancePlans ?? [])]
        .sort((a, b) => a.taskId - b.taskId)
        .map((instance): InstanceStatus => {
          const id = instanceIdOf(container.id, instance.componentName, instance.taskId);
          componentOfInstance.set(id, instance.componentName);
          const figures = metrics ? metrics.components[instance.componentName]?.instances?.[id] : undefined;
          return {
            id,
            component: instance.componentName,
            taskId: instance.taskId,
            componentIndex: instance.componentIndex,
            running: running.has(id),
            emitted: metrics ? (figures?.emitted ?? 0) : null,
            executed: metrics ? (figures?.executed ?? 0) : null,
            acked: metrics ? (figures?.acked ?? 0) : null,
            failed: metrics ? (figures?.failed ?? 0) : null,
            restarts: metrics ? (figures?.restarts ?? 0) : null,
          };
        });
      const stmgrFigures = metrics?.stmgrs[stmgrId];
      return {
        id: container.id,
        stmgr: stmgr ? { id: stmgr.id, host: stmgr.hostName, dataPort: stmgr.dataPort, pid: typeof stmgr.pid === 'number' && stmgr.pid > 0 ? stmgr.pid : null } : null,
        backPressure: metrics
          ? {
              active: stmgrFigures?.backPressure === true,
              ms: stmgrFigures?.backPressureMs ?? 0,
              causes: Object.fromEntries(Object.entries(stmgrFigures?.active ?? {}).map(([cause, since]) => [cause, new Date(since).toISOString()])),
            }
          : null,
        instances,
      };
    });

  const parallelism = new Map<string, number>();
  for (const name of componentOfInstance.values()) parallelism.set(name, (parallelism.get(name) ?? 0) + 1);
  const backPressure = metrics ? backPressureByComponent(Object.values(metrics.stmgrs), componentOfInstance) : undefined;
  const errors = 'exceptions' in live ? errorsByComponent(live.exceptions) : undefined;
  const named = [
    ...(topology.spouts ?? []).map((s) => ({ name: s.comp.name, kind: 'spout' as const })),
    ...(topology.bolts ?? []).map((b) => ({ name: b.comp.name, kind: 'bolt' as const })),
  ];
  const components = named.map(({ name, kind }): ComponentStatus => ({
    name,
    kind,
    parallelism: parallelism.get(name) ?? 0,
    ...componentFigures(metrics ? (metrics.components[name] ?? null) : undefined),
    backPressureMs: backPressure ? (backPressure.get(name) ?? 0) : null,
    errors: errors ? (errors.get(name) ?? 0) : null,
  }));

  const availability: MetricsAvailability =
    'metrics' in live ? { available: true, intervalSeconds: live.metrics.intervalSeconds, asOf: new Date(live.asOfMs).toISOString() } : { available: false, reason: live.unavailable };
  const location = sources.tmanager && (!sources.tmanager.topologyId || sources.tmanager.topologyId === execution.topologyId) ? sources.tmanager : undefined;
  return {
    cluster: sources.cluster,
    role: execution.role,
    environment: execution.environ,
    topology: execution.topologyName || topology.name,
    id: execution.topologyId,
    state: liveStateOf(topology, plan),
    ...submissionOf(execution),
    tmanager: location ? { host: location.host, serverPort: location.serverPort, controllerPort: location.controllerPort } : null,
    containers,
    components,
    metrics: availability,
    exceptions: 'exceptions' in live ? [...live.exceptions] : null,
  };
}

/** A component's figures: unknown (undefined: no metrics), none reported yet (null: zeros), or the cache's. */
function componentFigures(figures: TManagerComponentMetrics | null | undefined) {
  if (figures === undefined) {
    return { emitted: null, executed: null, acked: null, failed: null, completeLatencyMs: null, executeLatencyMs: null, processLatencyMs: null };
  }
  return {
    emitted: figures?.emitted ?? 0,
    executed: figures?.executed ?? 0,
    acked: figures?.acked ?? 0,
    failed: figures?.failed ?? 0,
    completeLatencyMs: figures?.completeLatencyMs ?? null,
    executeLatencyMs: figures?.executeLatencyMs ?? null,
    processLatencyMs: figures?.processLatencyMs ?? null,
  };
}

/** Time in back pressure per component: every stream manager's time per cause, for causes that are its instances. */
export function backPressureByComponent(stmgrs: readonly TManagerStMgrMetrics[], componentOfInstance: ReadonlyMap<string, string>): Map<string, number> {
  const result = new Map<string, number>();
  for (const stmgr of stmgrs) {
    for (const [cause, ms] of Object.entries(stmgr.causes ?? {})) {
      const component = componentOfInstance.get(cause);
      if (component !== undefined) result.set(component, (result.get(component) ?? 0) + ms);
    }
  }
  return result;
}

/** The user errors per component: the counts of the kept errors, added. */
export function errorsByComponent(exceptions: readonly TManagerException[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const e of exceptions) result.set(e.component, (result.get(e.component) ?? 0) + (Number.isFinite(e.count) ? e.count : 1));
  return result;
}
