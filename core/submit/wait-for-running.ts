import { instancesOf, type PackingPlan } from '../spi/packing-plan.js';
import type { StateManager, StateWatch } from '../spi/state-manager.js';
import type { TopologyRuntime } from '../spi/topology-runtime.js';
import { loopbackHttp } from './loopback-http.js';
import { SubmitError } from './submit-error.js';
import { WakeUp } from './wake-up.js';

/**
 * How long to sleep between looks when no watch fires: the watches on the physical plan and the topology manager's
 * location wake the wait as soon as either is written, so this is only a safety net (and, once the topology manager
 * is up, how often it is asked which stream managers it still waits for).
 */
const IDLE_LOOK_MS = 1000;
const TMANAGER_LOOK_MS = 250;

/**
 * `egret submit --wait`: resolves once every instance of the plan is running — the topology manager has published
 * a physical plan of this submission holding every task, which it does only once every stream manager registered,
 * each after all its instances registered. Reports the topology manager coming up and the stream managers still
 * awaited as they change. Throws SUBMIT_WAIT_TIMEOUT naming what is still missing.
 */
export async function waitForRunning(state: StateManager, runtime: TopologyRuntime, plan: PackingPlan, options: { readonly timeoutMs: number; readonly progress: (message: string) => void }): Promise<void> {
  const name = runtime.topologyName;
  const tasks = instancesOf(plan).length;
  const deadline = Date.now() + options.timeoutMs;
  const wakeUp = new WakeUp();
  const watches: StateWatch[] = [];
  let tmanager: string | undefined;
  let waitingFor = '';
  try {
    // Watched before the first look, so that nothing written between the two goes unnoticed.
    for (const kind of ['pplans', 'tmanagers'] as const) watches.push(await state.watch(kind, name, wakeUp.wake));
    for (;;) {
      wakeUp.reset();
      const pplan = await state.find('pplans', name);
      if (pplan && pplan.topology.id === runtime.topologyId && pplan.instances.length === tasks) {
        options.progress(`running: ${tasks} instance(s) in ${plan.containers.length} container(s), ${pplan.stmgrs.length} stream manager(s) registered`);
        return;
      }
      const location = await state.find('tmanagers', name);
      if (location && location.topologyId === runtime.topologyId) {
        const address = `${location.host}:${location.controllerPort}`;
        if (address !== tmanager) {
          tmanager = address;
          options.progress(`topology manager up at ${location.host}:${location.serverPort} (controller ${address})`);
        }
        const absent = await absentStreamManagers(address);
        if (absent !== undefined && absent !== waitingFor) {
          waitingFor = absent;
          options.progress(`waiting for stream managers: ${absent}`);
        }
      }
      const left = deadline - Date.now();
      if (left < 0) {
        const missing = tmanager === undefined ? 'the topology manager has not started' : `still waiting for stream managers: ${waitingFor || 'unknown'}`;
        throw new SubmitError(`topology '${name}' was submitted but is not running after ${Math.round(options.timeoutMs / 1000)} s: ${missing}; it stays submitted (see egret status, or egret kill)`, {
          code: 'SUBMIT_WAIT_TIMEOUT',
        });
      }
      await wakeUp.sleep(Math.min(left + 1, tmanager === undefined ? IDLE_LOOK_MS : TMANAGER_LOOK_MS));
    }
  } finally {
    for (const watch of watches) watch.cancel();
  }
}

/** The stream managers the topology manager still waits for, as one line, or undefined when it cannot say. */
async function absentStreamManagers(controller: string): Promise<string | undefined> {
  try {
    const response = await loopbackHttp({ method: 'GET', endpoint: controller, path: '/physicalplan', timeoutMs: 2000 });
    if (response.status !== 404) return undefined;
    const answer = JSON.parse(response.body.toString('utf8')) as { waitingFor?: Array<{ id: string; reason: string }> };
    return answer.waitingFor?.map((s) => `${s.id} (${s.reason})`).join(', ');
  } catch {
    return undefined;
  }
}
