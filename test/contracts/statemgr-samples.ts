import {
  heron,
  ProtoExecutionState,
  ProtoMetricsCacheLocation,
  ProtoPackingPlan,
  ProtoPhysicalPlan,
  ProtoSchedulerLocation,
  ProtoStatefulConsistentCheckpoints,
  ProtoTManagerLocation,
  ProtoTopology,
} from '../../core/proto/index.js';
import type { StateNodeKind, StateNodeTypes } from '../../core/spi/state-manager.js';

/**
 * A valid message of each kind for `topology`; `seq` changes its content (so writes can be told apart) and `padding`
 * makes it about that many bytes larger (for writes that take a while).
 */
export function sampleNode<K extends StateNodeKind>(kind: K, topology: string, seq = 0, padding = 0): StateNodeTypes[K] {
  const id = `${topology}-${seq}${padding > 0 ? `-${'x'.repeat(padding)}` : ''}`;
  const host = `host-${seq}`;
  const build: { [Kind in StateNodeKind]: () => StateNodeTypes[Kind] } = {
    topologies: () => topology1(topology, id),
    packingplans: () =>
      ProtoPackingPlan.create({
        id,
        containerPlans: [
          {
            id: 1,
            instancePlans: [{ componentName: 'spout', taskId: 1, componentIndex: 0, resource: { cpu: 1, ram: 1024, disk: 2048 } }],
            requiredResource: { cpu: 2 + seq, ram: 4096, disk: 8192 },
          },
        ],
      }),
    pplans: () => ProtoPhysicalPlan.create({ topology: topology1(topology, id), stmgrs: [], instances: [] }),
    executionstate: () =>
      ProtoExecutionState.create({ topologyName: topology, topologyId: id, submissionTime: 1_700_000_000 + seq, submissionUser: 'alice', cluster: 'local', environ: 'default', role: 'alice' }),
    tmanagers: () => ProtoTManagerLocation.create({ topologyName: topology, topologyId: id, host, controllerPort: 4000 + seq, serverPort: 5000 + seq, statsPort: 6000 }),
    metricscaches: () => ProtoMetricsCacheLocation.create({ topologyName: topology, topologyId: id, host, controllerPort: 4100 + seq, serverPort: 5100 + seq }),
    schedulers: () => ProtoSchedulerLocation.create({ topologyName: topology, httpEndpoint: `${host}:${7000 + seq}`, jobPageLink: [`http://${host}/job/${id}`] }),
    statefulcheckpoints: () => ProtoStatefulConsistentCheckpoints.create({ consistentCheckpoints: [{ checkpointId: `ckpt-${seq}`, packingPlanId: id }] }),
  };
  return build[kind]() as StateNodeTypes[K];
}

function topology1(name: string, id: string): ProtoTopology {
  return ProtoTopology.create({ id, name, state: heron.proto.api.TopologyState.RUNNING, spouts: [], bolts: [] });
}
