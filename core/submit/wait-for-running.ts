import axios from 'axios';
import { instancesOf, type PackingPlan } from '../spi/packing-plan.js';
import type { StateManager } from '../spi/state-manager.js';
import type { TopologyRuntime } from '../spi/topology-runtime.js';
import { SubmitError } from './submit-error.js';

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
  let tmanager: string | undefined;
  let waitingFor = '';
  for (;;) {
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
    if (Date.now() > deadline) {
      const missing = tmanager === undefined ? 'the topology manager has not started' : `still waiting for stream managers: ${waitingFor || 'unknown'}`;
      throw new SubmitError(`topology '${name}' was submitted but is not running after ${Math.round(options.timeoutMs / 1000)} s: ${missing}; it stays submitted (see egret status, or egret kill)`, {
        code: 'SUBMIT_WAIT_TIMEOUT',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The stream managers the topology manager still waits for, as one line, or undefined when it cannot say. */
async function absentStreamManagers(controller: string): Promise<string | undefined> {
  try {
    const response = await axios.get<{ waitingFor?: Array<{ id: string; reason: string }> }>(`http://${controller}/physicalplan`, { timeout: 2000, validateStatus: () => true });
    if (response.status !== 404 || !response.data.waitingFor) return undefined;
    return response.data.waitingFor.map((s) => `${s.id} (${s.reason})`).join(', ');
  } catch {
    return undefined;
  }
}
