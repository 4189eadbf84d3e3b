// Every state-tree message, the scheduler requests and the data-plane messages survive encode and decode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Long from 'long';
import {
  heron,
  ProtoExecutionState,
  ProtoKillTopologyRequest,
  ProtoMetricsCacheLocation,
  ProtoPackingPlan,
  ProtoPhysicalPlan,
  ProtoRestartTopologyRequest,
  ProtoSchedulerLocation,
  ProtoSchedulerResponse,
  ProtoStatefulConsistentCheckpoints,
  ProtoTManagerLocation,
  ProtoTopology,
  ProtoUpdateTopologyRequest,
} from './index.js';

const { api, system, stmgr } = heron.proto;

/** The part of a generated message class a round trip needs. */
interface MessageClass {
  create(properties: never): object;
  encode(message: never): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: never, options: object): Record<string, unknown>;
}

const PLAIN = { longs: String, bytes: String, enums: String, defaults: false, arrays: false };

/** Encodes `value`, decodes it, and checks the decoded message equals it and re-encodes to the same bytes. */
function roundTrip<T extends MessageClass>(type: T, value: Parameters<T['encode']>[0]): ReturnType<T['decode']> {
  const bytes = type.encode(value as never).finish();
  const decoded = type.decode(bytes);
  assert.deepEqual(type.toObject(decoded as never, PLAIN), type.toObject(type.create(value as never) as never, PLAIN));
  assert.deepEqual(type.encode(decoded as never).finish(), bytes);
  return decoded as ReturnType<T['decode']>;
}

const topology: heron.proto.api.Topology.$Properties = {
  id: 'wc-1',
  name: 'wc',
  state: api.TopologyState.RUNNING,
  spouts: [
    {
      comp: { name: 'words', config: { kvs: [{ key: 'topology.component.parallelism', value: '2', type: api.ConfigValueType.JSON_VALUE }] } },
      outputs: [{ stream: { id: 'default', componentName: 'words' }, schema: { keys: [{ key: 'word', type: api.Type.OBJECT }] }, direct: true }],
    },
  ],
  bolts: [
    {
      comp: { name: 'count', config: { kvs: [] } },
      inputs: [
        {
          stream: { id: 'default', componentName: 'words' },
          gtype: api.Grouping.FIELDS,
          groupingFields: { keys: [{ key: 'word', type: api.Type.OBJECT }] },
        },
      ],
      outputs: [],
    },
  ],
  topologyConfig: { kvs: [{ key: 'topology.stmgrs', value: '2', type: api.ConfigValueType.JSON_VALUE }] },
};

const resource = { cpu: 1.5, ram: 3 * 2 ** 30, disk: 64 * 2 ** 30 };
const packingPlan: heron.proto.system.PackingPlan.$Properties = {
  id: 'wc-1',
  containerPlans: [
    {
      id: 1,
      instancePlans: [
        { componentName: 'words', taskId: 1, componentIndex: 0, resource },
        { componentName: 'count', taskId: 2, componentIndex: 0, resource },
      ],
      requiredResource: resource,
      scheduledResource: { cpu: 2, ram: 4 * 2 ** 30, disk: 64 * 2 ** 30 },
    },
  ],
};

const stMgr: heron.proto.system.StMgr.$Properties = {
  id: 'stmgr-1',
  hostName: 'localhost',
  dataPort: 6001,
  localEndpoint: '/tmp/stmgr-1.sock',
  cwd: '/work',
  pid: 4242,
  shellPort: 6002,
  localDataPort: 6003,
};
const instance: heron.proto.system.Instance.$Properties = {
  instanceId: 'container_1_words_1',
  stmgrId: 'stmgr-1',
  info: { taskId: 1, componentIndex: 0, componentName: 'words', params: ['--x'], remoteDebuggerPort: 9000 },
};
const physicalPlan: heron.proto.system.PhysicalPlan.$Properties = { topology, stmgrs: [stMgr], instances: [instance] };
const location = { topologyName: 'wc', topologyId: 'wc-1', host: 'localhost', controllerPort: 7001, serverPort: 7002, statsPort: 7003 };

describe('state-tree messages round-trip', () => {
  it('topology', () => {
    const decoded = roundTrip(ProtoTopology, topology);
    assert.equal(decoded.spouts?.[0]?.outputs?.[0]?.direct, true);
  });
  it('packing plan, with 64 GiB of disk', () => {
    const decoded = roundTrip(ProtoPackingPlan, packingPlan);
    assert.equal(Long.fromValue(decoded.containerPlans![0]!.requiredResource.disk).toNumber(), 64 * 2 ** 30);
  });
  it('physical plan', () => {
    roundTrip(ProtoPhysicalPlan, physicalPlan);
  });
  it('execution state', () => {
    const decoded = roundTrip(ProtoExecutionState, {
      topologyName: 'wc',
      topologyId: 'wc-1',
      submissionTime: 1_700_000_000,
      submissionUser: 'alice',
      cluster: 'local',
      environ: 'default',
      role: 'alice',
      releaseState: { releaseUsername: 'bob', releaseTag: 'egret', releaseVersion: '0.1.0' },
    });
    assert.equal(Long.fromValue(decoded.submissionTime!).toNumber(), 1_700_000_000);
  });
  it('tmanager location', () => {
    roundTrip(ProtoTManagerLocation, location);
  });
  it('metrics cache location', () => {
    roundTrip(ProtoMetricsCacheLocation, { ...location, statsPort: null });
  });
  it('scheduler location', () => {
    roundTrip(ProtoSchedulerLocation, { topologyName: 'wc', httpEndpoint: 'localhost:8080', jobPageLink: ['http://a', 'http://b'] });
  });
  it('stateful checkpoints', () => {
    roundTrip(ProtoStatefulConsistentCheckpoints, {
      consistentCheckpoints: [
        { checkpointId: 'c2', packingPlanId: 'wc-1' },
        { checkpointId: 'c1', packingPlanId: 'wc-1' },
      ],
    });
  });
});

describe('scheduler requests round-trip', () => {
  it('kill', () => {
    roundTrip(ProtoKillTopologyRequest, { topologyName: 'wc' });
  });
  it('restart, all containers', () => {
    roundTrip(ProtoRestartTopologyRequest, { topologyName: 'wc', containerIndex: -1 });
  });
  it('update', () => {
    roundTrip(ProtoUpdateTopologyRequest, { currentPackingPlan: packingPlan, proposedPackingPlan: { id: 'wc-1', containerPlans: [] } });
  });
  it('response', () => {
    roundTrip(ProtoSchedulerResponse, { status: { status: system.StatusCode.NOTOK, message: 'no such topology' } });
  });
});

describe('data-plane messages round-trip', () => {
  const key = Long.fromString('-1234567890123456789');
  const root = { taskid: 1, key: Long.fromString('9223372036854775807') };

  it('HeronTupleSet with data', () => {
    const decoded = roundTrip(system.HeronTupleSet, {
      srcTaskId: 1,
      data: {
        stream: { id: 'default', componentName: 'words' },
        tuples: [
          { key, roots: [root], values: [Uint8Array.of(1, 2, 3), Uint8Array.of()], destTaskIds: [3, 4] },
          { key: Long.ZERO, values: [Uint8Array.of(9)] },
        ],
      },
    });
    assert.ok(key.equals(decoded.data!.tuples![0]!.key as Long));
  });

  it('HeronTupleSet with control', () => {
    roundTrip(system.HeronTupleSet, {
      srcTaskId: 2,
      control: { acks: [{ roots: [root], ackedtuple: key }], fails: [{ roots: [root, { taskid: 2, key: Long.ONE }], ackedtuple: Long.NEG_ONE }] },
    });
  });

  it('HeronTupleSet2 carries still-serialized tuples', () => {
    const tuple = system.HeronDataTuple.encode({ key, roots: [root], values: [Uint8Array.of(7)] }).finish();
    const decoded = roundTrip(system.HeronTupleSet2, { srcTaskId: 3, data: { stream: { id: 'default', componentName: 'words' }, tuples: [tuple] } });
    const inner = system.HeronDataTuple.decode(decoded.data!.tuples![0]!);
    assert.ok(key.equals(inner.key as Long));
  });

  it('TupleStreamMessage', () => {
    roundTrip(stmgr.TupleStreamMessage, { taskId: 5, srcTaskId: 1, set: Uint8Array.of(1, 2), numTuples: 1 });
  });
  it('RegisterInstanceRequest', () => {
    roundTrip(stmgr.RegisterInstanceRequest, { instance, topologyName: 'wc', topologyId: 'wc-1' });
  });
  it('RegisterInstanceResponse with a physical plan', () => {
    roundTrip(stmgr.RegisterInstanceResponse, { status: { status: system.StatusCode.OK }, pplan: physicalPlan });
  });
  it('StrMgrHelloRequest', () => {
    roundTrip(stmgr.StrMgrHelloRequest, { topologyName: 'wc', topologyId: 'wc-1', stmgr: 'stmgr-2' });
  });
  it('StartBackPressureMessage', () => {
    roundTrip(stmgr.StartBackPressureMessage, { topologyName: 'wc', topologyId: 'wc-1', stmgr: 'stmgr-2', messageId: 'm1' });
  });
  it('StMgrRegisterRequest (to the topology manager)', () => {
    roundTrip(heron.proto.tmanager.StMgrRegisterRequest, { stmgr: stMgr, instances: [instance] });
  });
  it('StMgrHeartbeatRequest', () => {
    roundTrip(heron.proto.tmanager.StMgrHeartbeatRequest, { heartbeatTime: Date.now(), stats: {} });
  });
  it('MetricPublisherPublishMessage', () => {
    roundTrip(system.MetricPublisherPublishMessage, {
      metrics: [{ name: '__emit-count/default', value: '12' }],
      exceptions: [{ stacktrace: 'Error: x', lasttime: 't2', firsttime: 't1', count: 2, logging: '' }],
    });
  });
  it('SaveInstanceStateRequest', () => {
    roundTrip(heron.proto.ckptmgr.SaveInstanceStateRequest, { instance, checkpoint: { checkpointId: 'c1', state: Uint8Array.of(1, 2, 3) } });
  });
});
