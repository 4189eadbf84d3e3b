import { componentCounts, type PackingPlan } from '../spi/packing-plan.js';
import { parallelismDeltas, Repacking } from '../spi/repacking.js';
import { packingPlanFromProto, type ProtoTopology, topologyFromProto, topologyToProto } from '../proto/index.js';
import { openManagedTopology, type ManagedTopology, type TopologyCommandRequest } from './managed-topology.js';
import { RuntimeError } from './runtime-error.js';
import { clientContext } from './runtime-manager.js';
import { schedulerClientFor } from './scheduler-client-factory.js';
import { TManagerControllerClient } from './tmanager-controller-client.js';
import { isPluginError } from './plugin-error-check.js';

export interface UpdateRequest extends TopologyCommandRequest {
  /** Component → its new parallelism (absolute). */
  readonly parallelism: ReadonlyMap<string, number>;
  /** Compute and return the new plan; change nothing. */
  readonly dryRun?: boolean;
  /** How long to wait for the new physical plan (default 60 s). */
  readonly timeoutMs?: number;
  readonly progress?: (message: string) => void;
}

export interface UpdateResult {
  readonly current: PackingPlan;
  readonly proposed: PackingPlan;
  /** The repacking plugin's name. */
  readonly algorithm: string;
}

/**
 * `egret update --component-parallelism comp:N...`: checks the state, turns the absolute parallelisms into changes
 * against the current plan (unknown component, N < 1, no change at all: an error, nothing done), repacks with the
 * configured repacking algorithm, and (unless a dry run) under the topology's update lock: deactivates a running
 * topology, records the new parallelism in the topology node, has the scheduler add containers, replace the
 * packing plan (executors start and stop tasks, the topology manager republishes) and remove containers, waits for
 * the physical plan of the new instances, and reactivates. Under ATLEAST_ONCE, tuples in flight to removed tasks
 * time out at their spouts and are replayed, so no acked message is lost.
 */
export async function updateTopology(request: UpdateRequest): Promise<UpdateResult> {
  const progress = request.progress ?? (() => undefined);
  const topology = await openManagedTopology(request, ['repacking', 'scheduler']);
  try {
    const currentProto = await topology.state.get('packingplans', topology.name);
    const current = packingPlanFromProto(currentProto);
    const topologyProto = await topology.state.get('topologies', topology.name);
    const definition = topologyFromProto(topologyProto);
    const deltas = parallelismDeltas(componentCounts(current), request.parallelism);
    if (deltas.size === 0) {
      throw new RuntimeError(`the requested parallelism (${[...request.parallelism].map(([c, n]) => `${c}:${n}`).join(', ')}) is the topology's current one: nothing to update`, {
        code: 'RUNTIME_INVALID_REQUEST',
      });
    }
    const proposed = topology.container.get<Repacking>(Repacking).repack(definition, current, deltas);
    const algorithm = String(topology.config.get('egret.repacking'));
    if (request.dryRun) return { current, proposed, algorithm };
    await applyUpdate(topology, request, topologyProto, current, proposed, progress);
    return { current, proposed, algorithm };
  } finally {
    await topology.close();
  }
}

async function applyUpdate(
  topology: ManagedTopology,
  request: UpdateRequest,
  topologyProto: ProtoTopology,
  current: PackingPlan,
  proposed: PackingPlan,
  progress: (message: string) => void,
): Promise<void> {
  const { state, name } = topology;
  const lock = await state.tryLock(name, 'updateTopology', 5000).catch((error: unknown) => {
    if (isPluginError(error, 'StateManagerError', 'STATE_LOCK_TIMEOUT')) {
      throw new RuntimeError(`another update of '${name}' is in progress (its lock is held); try again once it is done`, { code: 'RUNTIME_INVALID_REQUEST', cause: error });
    }
    throw error;
  });
  try {
    const controller = await TManagerControllerClient.connect(state, name, topology.execution.topologyId);
    const wasRunning = topologyProto.state === 1;
    if (wasRunning) progress(await controller.setState('deactivate'));
    // The topology node records each component's parallelism: keep it true to the new plan. It is read again
    // because deactivate changed it; it stays PAUSED until the reactivation below (or until the user activates).
    const counts = componentCounts(proposed);
    const latest = topologyFromProto(await state.get('topologies', name));
    const resized = { ...latest, spouts: latest.spouts.map((s) => ({ ...s, parallelism: counts.get(s.name) ?? s.parallelism })), bolts: latest.bolts.map((b) => ({ ...b, parallelism: counts.get(b.name) ?? b.parallelism })) };
    await state.set('topologies', name, topologyToProto(resized, { id: topologyProto.id, state: 'PAUSED' }));
    const client = await schedulerClientFor(clientContext(topology, request));
    try {
      await client.update({ topologyName: name, current, proposed });
    } finally {
      await client.close();
    }
    progress(`new packing plan published: ${proposed.containers.length} container(s)`);
    await waitForPlan(topology, proposed, request.timeoutMs ?? 60_000);
    progress('every instance of the new plan is running');
    if (wasRunning) progress(await controller.setState('activate'));
  } finally {
    await lock.unlock();
  }
}

/** Waits until the published physical plan holds exactly the task ids of `plan`. */
async function waitForPlan(topology: ManagedTopology, plan: PackingPlan, timeoutMs: number): Promise<void> {
  const wanted = plan.containers.flatMap((c) => c.instances.map((i) => i.taskId)).sort((a, b) => a - b).join(',');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pplan = await topology.state.find('pplans', topology.name);
    const have = (pplan?.instances ?? []).map((i) => i.info.taskId).sort((a, b) => a - b).join(',');
    if (have === wanted) return;
    if (Date.now() > deadline) {
      throw new RuntimeError(`the new plan of '${topology.name}' did not come up within ${timeoutMs} ms (tasks running: ${have || 'none'}; wanted: ${wanted})`, { code: 'RUNTIME_TIMEOUT' });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
