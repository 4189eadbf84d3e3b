import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heron, ProtoExecutionState, ProtoPackingPlan, ProtoPhysicalPlan, ProtoTManagerLocation, ProtoTopology } from '../proto/index.js';
import type { TManagerComponentMetrics, TManagerInstanceMetrics, TManagerMetrics, TManagerStMgrMetrics } from './tmanager-controller-client.js';
import { backPressureByComponent, buildTopologyStatus, errorsByComponent, type LiveFigures, type StatusSources } from './topology-status-figures.js';

const ID = 'wc-1';
const RESOURCE = { cpu: 1, ram: 1024, disk: 1024 };

function topology(state = heron.proto.api.TopologyState.RUNNING, id = ID): ProtoTopology {
  return ProtoTopology.create({ id, name: 'wc', state, spouts: [{ comp: { name: 'word', config: { kvs: [] } }, outputs: [] }], bolts: [{ comp: { name: 'count_words', config: { kvs: [] } }, inputs: [], outputs: [] }] });
}

/** Two containers: word:1 and count_words:3 in 1, word:2 and count_words:4 in 2. */
const PACKING = ProtoPackingPlan.create({
  id: ID,
  containerPlans: [
    { id: 2, instancePlans: [{ componentName: 'count_words', taskId: 4, componentIndex: 1, resource: RESOURCE }, { componentName: 'word', taskId: 2, componentIndex: 1, resource: RESOURCE }], requiredResource: RESOURCE },
    { id: 1, instancePlans: [{ componentName: 'word', taskId: 1, componentIndex: 0, resource: RESOURCE }, { componentName: 'count_words', taskId: 3, componentIndex: 0, resource: RESOURCE }], requiredResource: RESOURCE },
  ],
});

function physicalPlan(state = heron.proto.api.TopologyState.RUNNING, id = ID): ProtoPhysicalPlan {
  const instance = (c: number, component: string, task: number, index: number) => ({ instanceId: `container_${c}_${component}_${task}`, stmgrId: `stmgr-${c}`, info: { taskId: task, componentIndex: index, componentName: component } });
  return ProtoPhysicalPlan.create({
    topology: topology(state, id),
    stmgrs: [1, 2].map((c) => ({ id: `stmgr-${c}`, hostName: 'h', dataPort: 9000 + c, localEndpoint: 'x', pid: 100 + c })),
    instances: [instance(1, 'word', 1, 0), instance(1, 'count_words', 3, 0), instance(2, 'word', 2, 1), instance(2, 'count_words', 4, 1)],
  });
}

const EXECUTION = ProtoExecutionState.create({ topologyName: 'wc', topologyId: ID, submissionTime: 1_700_000_000, submissionUser: 'alice', cluster: 'local', environ: 'default', role: 'alice' });

function instanceFigures(figures: Partial<TManagerInstanceMetrics>): TManagerInstanceMetrics {
  return { emitted: 0, executed: 0, acked: 0, failed: 0, completeLatencyMs: null, executeLatencyMs: null, processLatencyMs: null, restarts: 0, inQueueDepth: null, outQueueDepth: null, lastReportMs: 1, ...figures };
}

function stmgrFigures(figures: Partial<TManagerStMgrMetrics>): TManagerStMgrMetrics {
  return { tuplesIn: 0, tuplesOut: 0, bytesIn: 0, bytesOut: 0, dropped: 0, backPressure: false, backPressureMs: 0, causes: {}, active: {}, peersAnnouncing: {}, spoutsPaused: false, pausedByOthersMs: 0, restarts: 0, lastReportMs: 1, ...figures };
}

function component(figures: Omit<TManagerComponentMetrics, 'instances'>, instances: Record<string, Partial<TManagerInstanceMetrics>>): TManagerComponentMetrics {
  return { ...figures, instances: Object.fromEntries(Object.entries(instances).map(([id, f]) => [id, instanceFigures(f)])) };
}

const METRICS: TManagerMetrics = {
  topology: 'wc',
  topologyId: ID,
  intervalSeconds: null,
  components: {
    word: component({ emitted: 30, executed: 0, acked: 25, failed: 1, completeLatencyMs: 2.5, executeLatencyMs: null, processLatencyMs: null }, {
      container_1_word_1: { emitted: 10, acked: 9 },
      container_2_word_2: { emitted: 20, acked: 16, failed: 1, restarts: 2 },
    }),
    // count_words has not reported yet.
  },
  stmgrs: {
    'stmgr-1': stmgrFigures({ backPressureMs: 1500, causes: { container_1_count_words_3: 1000, 'stmgr-2': 500 } }),
    'stmgr-2': stmgrFigures({ backPressure: true, backPressureMs: 700, causes: { container_2_count_words_4: 700 }, active: { container_2_count_words_4: Date.UTC(2023, 10, 14, 22, 14) } }),
  },
};

const EXCEPTIONS = [
  { component: 'count_words', instance: 'container_1_count_words_3', task: 3, hostname: 'h', message: 'boom', stacktrace: 'Error: boom\n  at x', count: 3, firstTime: 't1', lastTime: 't2' },
  { component: 'count_words', instance: 'container_2_count_words_4', task: 4, hostname: 'h', message: 'bang', stacktrace: '', count: 2, firstTime: 't1', lastTime: 't3' },
];

function sources(overrides: Partial<StatusSources> = {}, live: LiveFigures = { metrics: METRICS, exceptions: EXCEPTIONS, asOfMs: 1_700_000_100_000 }): StatusSources {
  return { cluster: 'local', execution: EXECUTION, topology: topology(), packingPlan: PACKING, physicalPlan: physicalPlan(), tmanager: ProtoTManagerLocation.create({ topologyName: 'wc', topologyId: ID, host: 'h', controllerPort: 1, serverPort: 2 }), live, ...overrides };
}

describe('buildTopologyStatus', () => {
  it('puts the containers in order with their stream managers and instances, and who submitted when', () => {
    const status = buildTopologyStatus(sources());
    assert.deepEqual([status.cluster, status.role, status.environment, status.topology, status.id, status.state], ['local', 'alice', 'default', 'wc', ID, 'RUNNING']);
    assert.equal(status.submittedBy, 'alice');
    assert.equal(status.submittedAt, '2023-11-14T22:13:20.000Z');
    assert.deepEqual(status.tmanager, { host: 'h', serverPort: 2, controllerPort: 1 });
    assert.deepEqual(status.containers.map((c) => [c.id, c.stmgr, c.instances.map((i) => i.id)]), [
      [1, { id: 'stmgr-1', host: 'h', dataPort: 9001, pid: 101 }, ['container_1_word_1', 'container_1_count_words_3']],
      [2, { id: 'stmgr-2', host: 'h', dataPort: 9002, pid: 102 }, ['container_2_word_2', 'container_2_count_words_4']],
    ]);
    assert.ok(status.containers.every((c) => c.instances.every((i) => i.running)));
  });

  it('aggregates per component: counters and latencies from the cache, back pressure by cause, errors by count', () => {
    const status = buildTopologyStatus(sources());
    const [word, count] = status.components;
    assert.deepEqual(word, { name: 'word', kind: 'spout', parallelism: 2, emitted: 30, executed: 0, acked: 25, failed: 1, completeLatencyMs: 2.5, executeLatencyMs: null, processLatencyMs: null, backPressureMs: 0, errors: 0 });
    // Not reported yet: zeros, not unknowns; its instances caused back pressure (the peer stream manager cause does not count).
    assert.deepEqual(count, { name: 'count_words', kind: 'bolt', parallelism: 2, emitted: 0, executed: 0, acked: 0, failed: 0, completeLatencyMs: null, executeLatencyMs: null, processLatencyMs: null, backPressureMs: 1700, errors: 5 });
    const word2 = status.containers[1]?.instances.find((i) => i.component === 'word');
    assert.deepEqual([word2?.emitted, word2?.acked, word2?.failed, word2?.restarts], [20, 16, 1, 2]);
    assert.deepEqual(status.containers.map((c) => c.backPressure), [
      { active: false, ms: 1500, causes: {} },
      { active: true, ms: 700, causes: { container_2_count_words_4: '2023-11-14T22:14:00.000Z' } },
    ]);
    assert.deepEqual(status.metrics, { available: true, intervalSeconds: null, asOf: '2023-11-14T22:15:00.000Z' });
    assert.equal(status.exceptions?.length, 2);
  });

  it('without the topology manager, keeps what the state has and makes every figure unknown (null), never 0', () => {
    const status = buildTopologyStatus(sources({ tmanager: undefined }, { unavailable: 'the topology manager did not answer' }));
    assert.deepEqual(status.metrics, { available: false, reason: 'the topology manager did not answer' });
    assert.equal(status.tmanager, null);
    assert.equal(status.exceptions, null);
    for (const c of status.components) assert.deepEqual([c.emitted, c.executed, c.acked, c.failed, c.backPressureMs, c.errors, c.parallelism], [null, null, null, null, null, null, 2]);
    for (const c of status.containers) {
      assert.equal(c.backPressure, null);
      for (const i of c.instances) assert.deepEqual([i.emitted, i.executed, i.acked, i.failed, i.restarts, i.running], [null, null, null, null, null, true]);
    }
  });

  it('takes the live state from the physical plan, and the topology node when there is no plan of this submission', () => {
    const { PAUSED, RUNNING } = heron.proto.api.TopologyState;
    assert.equal(buildTopologyStatus(sources({ physicalPlan: physicalPlan(PAUSED) })).state, 'PAUSED');
    assert.equal(buildTopologyStatus(sources({ topology: topology(PAUSED), physicalPlan: undefined })).state, 'PAUSED');
    // An earlier submission's plan says nothing of this one: not its state, not its stream managers.
    const stale = buildTopologyStatus(sources({ topology: topology(RUNNING), physicalPlan: physicalPlan(PAUSED, 'wc-0') }));
    assert.equal(stale.state, 'RUNNING');
    assert.ok(stale.containers.every((c) => c.stmgr === null && c.instances.every((i) => !i.running)));
  });

  it("ignores an earlier submission's topology manager location", () => {
    const status = buildTopologyStatus(sources({ tmanager: ProtoTManagerLocation.create({ topologyName: 'wc', topologyId: 'wc-0', host: 'old', controllerPort: 1, serverPort: 2 }) }));
    assert.equal(status.tmanager, null);
  });
});

describe('the per-component sums', () => {
  it('attributes back pressure only to causes that are instances of a component', () => {
    const owners = new Map([['container_1_a_1', 'a'], ['container_2_a_2', 'a'], ['container_2_b_3', 'b']]);
    const result = backPressureByComponent([stmgrFigures({ causes: { container_1_a_1: 5, 'stmgr-2': 100 } }), stmgrFigures({ causes: { container_2_a_2: 7, container_2_b_3: 1, unknown: 9 } })], owners);
    assert.deepEqual([...result].sort(), [['a', 12], ['b', 1]]);
  });

  it('adds the counts of the kept errors per component', () => {
    assert.deepEqual([...errorsByComponent(EXCEPTIONS)], [['count_words', 5]]);
    assert.deepEqual([...errorsByComponent([])], []);
  });
});
