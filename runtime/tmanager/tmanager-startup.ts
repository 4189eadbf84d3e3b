import { TopologyConfigKeys } from '../../api/topology-config.js';
import type { Config } from '../../core/config/config.js';
import { configFromProto, packingPlanFromProto, ProtoPackingPlan, type ProtoPhysicalPlan, type ProtoTopology } from '../../core/proto/index.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import type { StateManager } from '../../core/spi/state-manager.js';
import { TManagerError } from './tmanager-error.js';

/** The reliability modes this version runs; EFFECTIVELY_ONCE arrives with checkpoints. */
const SUPPORTED_RELIABILITY_MODES: readonly string[] = ['ATMOST_ONCE', 'ATLEAST_ONCE'];

/** What a topology manager reads from the state tree before it starts serving. */
export interface TManagerStartState {
  readonly topology: ProtoTopology;
  readonly packingPlan: PackingPlan;
  readonly packingPlanBytes: Uint8Array;
  /** The plan a previous topology manager of this submission published, if any. */
  readonly previousPlan: ProtoPhysicalPlan | undefined;
}

/**
 * Reads the topology, its packing plan and any previous physical plan, and checks the topology is one this
 * topology manager can run. Throws TMANAGER_STATE_INVALID for a missing node or a topology of another submission
 * than the package's, TMANAGER_UNSUPPORTED for a reliability mode still to come, and the state manager's errors.
 */
export async function readStartState(state: StateManager, names: { readonly topologyName: string; readonly topologyId: string }, packageConfig: Config): Promise<TManagerStartState> {
  const { topologyName, topologyId } = names;
  const topology = await state.find('topologies', topologyName);
  if (!topology) {
    throw new TManagerError(`topology node topologies/${topologyName} does not exist: the topology is not submitted, or was killed`, { code: 'TMANAGER_STATE_INVALID' });
  }
  if (topology.id !== topologyId) {
    throw new TManagerError(`topology '${topologyName}' in state has id '${topology.id}', but this package is of submission '${topologyId}': a stale package?`, {
      code: 'TMANAGER_STATE_INVALID',
    });
  }
  checkReliabilityMode(topology, packageConfig);
  const packingProto = await state.find('packingplans', topologyName);
  if (!packingProto) throw new TManagerError(`packing plan node packingplans/${topologyName} does not exist`, { code: 'TMANAGER_STATE_INVALID' });
  return {
    topology,
    packingPlan: packingPlanFromProto(packingProto),
    packingPlanBytes: ProtoPackingPlan.encode(packingProto).finish(),
    previousPlan: await state.find('pplans', topologyName),
  };
}

/**
 * Refuses a reliability mode this version cannot honour, rather than run an EFFECTIVELY_ONCE topology without
 * checkpoints.
 * The topology's own config wins over the package's (the cluster's and command line's).
 */
export function checkReliabilityMode(topology: ProtoTopology, packageConfig: Config): void {
  const key = TopologyConfigKeys.RELIABILITY_MODE;
  const fromTopology = configFromProto(topology.topologyConfig, 'topology config')[key];
  const mode = fromTopology ?? packageConfig.get(key) ?? 'ATMOST_ONCE';
  if (typeof mode !== 'string' || !SUPPORTED_RELIABILITY_MODES.includes(mode)) {
    throw new TManagerError(
      `${key} is ${JSON.stringify(mode)}: this version of Egret runs ${SUPPORTED_RELIABILITY_MODES.join(', ')} topologies only (effectively-once, with stateful checkpoints, comes later); resubmit with ${key}=ATLEAST_ONCE`,
      { code: 'TMANAGER_UNSUPPORTED' },
    );
  }
}
