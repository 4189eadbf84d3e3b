import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BoltDefinition, Grouping, TopologyDefinition } from '../../api/topology-definition.js';
import { heron, topologyToProto } from '../../core/proto/index.js';
import { wordCountTopology } from '../../test/helpers/runtime-plans.js';
import { instanceIdOf, stmgrIdOf } from '../common/runtime-ids.js';
import { buildRouting, RoutingError } from './routing-builder.js';

import system = heron.proto.system;

function bolt(name: string, parallelism: number, inputs: Array<[string, string, Grouping]>, outputs: BoltDefinition['outputs'] = []): BoltDefinition {
  return { kind: 'bolt', name, parallelism, resources: {}, config: {}, outputs, inputs: inputs.map(([component, stream, grouping]) => ({ component, stream, grouping })) };
}

/** A spout with two streams and one subscriber per grouping, a bolt that re-emits, and a bolt on two streams. */
const everyGrouping: TopologyDefinition = {
  name: 'groupings',
  config: {},
  spouts: [
    {
      kind: 'spout',
      name: 'src',
      parallelism: 2,
      resources: {},
      config: {},
      outputs: [
        { id: 'default', fields: ['a', 'b', 'c'], direct: false },
        { id: 'picked', fields: ['x'], direct: true },
      ],
    },
  ],
  bolts: [
    bolt('shuffled', 3, [['src', 'default', { type: 'shuffle' }]], [{ id: 'default', fields: ['y'], direct: false }]),
    bolt('keyed', 2, [['src', 'default', { type: 'fields', fields: ['c', 'a'] }]], [{ id: 'unheard', fields: ['z'], direct: false }]),
    bolt('everyone', 2, [['src', 'default', { type: 'all' }]]),
    bolt('lowest', 2, [['src', 'default', { type: 'global' }]]),
    bolt('whatever', 1, [['shuffled', 'default', { type: 'none' }]]),
    bolt('chosen', 2, [['src', 'picked', { type: 'direct' }]]),
    bolt('custom', 1, [
      ['shuffled', 'default', { type: 'custom' }],
      ['src', 'default', { type: 'fields', fields: ['b'] }],
    ]),
  ],
};

/** Places the topology's tasks round-robin on `containers` stream managers, listing instances out of order. */
function planOf(topology: TopologyDefinition, containers: number): system.PhysicalPlan {
  const instances: system.Instance.$Properties[] = [];
  let taskId = 1;
  for (const component of [...topology.spouts, ...topology.bolts]) {
    for (let index = 0; index < component.parallelism; index++, taskId++) {
      const container = ((taskId - 1) % containers) + 1;
      instances.push({ instanceId: instanceIdOf(container, component.name, taskId), stmgrId: stmgrIdOf(container), info: { taskId, componentIndex: index, componentName: component.name } });
    }
  }
  return system.PhysicalPlan.create({
    topology: topologyToProto(topology, { id: `${topology.name}-1` }),
    stmgrs: Array.from({ length: containers }, (_, i) => ({ id: stmgrIdOf(i + 1), hostName: `host${i + 1}`, dataPort: 7000 + i + 1, localEndpoint: `unix-abstract:s${i + 1}` })),
    instances: instances.reverse(),
  });
}

describe('buildRouting', () => {
  const routing = buildRouting(planOf(everyGrouping, 3), 'stmgr-2');

  it('lists every task ascending with its component and stream manager, and the other stream managers as peers', () => {
    assert.equal(routing.stmgrId, 'stmgr-2');
    assert.deepEqual(
      routing.tasks.map((t) => t.taskId),
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    assert.deepEqual(routing.tasks.slice(0, 4), [
      { taskId: 1, component: 'src', stmgrId: 'stmgr-1' },
      { taskId: 2, component: 'src', stmgrId: 'stmgr-2' },
      { taskId: 3, component: 'shuffled', stmgrId: 'stmgr-3' },
      { taskId: 4, component: 'shuffled', stmgrId: 'stmgr-1' },
    ]);
    assert.deepEqual(routing.peers, [
      { stmgrId: 'stmgr-1', host: 'host1', port: 7001 },
      { stmgrId: 'stmgr-3', host: 'host3', port: 7003 },
    ]);
  });

  it('lists every declared stream, spouts first, with its subscribers in declaration order (or none)', () => {
    assert.deepEqual(
      routing.streams.map((s) => `${s.component}/${s.stream}: ${s.subscribers.map((x) => x.component).join(' ')}`),
      ['src/default: shuffled keyed everyone lowest custom', 'src/picked: chosen', 'shuffled/default: whatever custom', 'keyed/unheard: '],
    );
  });

  it('gives each subscriber its grouping, field positions in the stream’s declared fields, and its tasks ascending', () => {
    const [srcDefault, picked, shuffledDefault] = routing.streams;
    assert.deepEqual(srcDefault?.subscribers, [
      { component: 'shuffled', grouping: 'shuffle', fieldIndices: [], tasks: [3, 4, 5] },
      { component: 'keyed', grouping: 'fields', fieldIndices: [2, 0], tasks: [6, 7] },
      { component: 'everyone', grouping: 'all', fieldIndices: [], tasks: [8, 9] },
      { component: 'lowest', grouping: 'global', fieldIndices: [], tasks: [10, 11] },
      { component: 'custom', grouping: 'fields', fieldIndices: [1], tasks: [15] },
    ]);
    assert.deepEqual(picked?.subscribers, [{ component: 'chosen', grouping: 'direct', fieldIndices: [], tasks: [13, 14] }]);
    assert.deepEqual(shuffledDefault?.subscribers, [
      { component: 'whatever', grouping: 'none', fieldIndices: [], tasks: [12] },
      { component: 'custom', grouping: 'custom', fieldIndices: [], tasks: [15] },
    ]);
  });

  it('maps the word-count topology: key fields in the subscriber’s order, all grouping on a second stream', () => {
    const routingOfWordCount = buildRouting(planOf(wordCountTopology(), 2), 'stmgr-1');
    assert.deepEqual(
      routingOfWordCount.streams.map((s) => [s.component, s.stream, s.subscribers.map((x) => [x.component, x.grouping, x.fieldIndices, x.tasks])]),
      [
        ['words', 'default', [['counter', 'fields', [1, 0], [3, 4]]]],
        ['words', 'control', [['counter', 'all', [], [3, 4]]]],
        ['counter', 'default', [['sink', 'global', [], [5]]]],
      ],
    );
  });

  it('carries the reliability mode, the message timeout and the drop flag: the topology’s own, else the package’s, else the defaults', () => {
    assert.deepEqual(
      [routing.reliability, routing.messageTimeoutMs, routing.dropTuplesUponBackPressure],
      ['ATMOST_ONCE', 30_000, false],
    );
    const acked = { ...everyGrouping, config: { 'topology.reliability.mode': 'ATLEAST_ONCE', 'topology.message.timeout.secs': 7 } };
    const fromTopology = buildRouting(planOf(acked, 2), 'stmgr-1', (key) => (key === 'topology.reliability.mode' ? 'ATMOST_ONCE' : undefined));
    assert.deepEqual([fromTopology.reliability, fromTopology.messageTimeoutMs], ['ATLEAST_ONCE', 7000]);
    const fromPackage = buildRouting(planOf(everyGrouping, 2), 'stmgr-1', (key) => ({ 'topology.droptuples.upon.backpressure': true, 'topology.reliability.mode': 'ATLEAST_ONCE' })[key]);
    assert.deepEqual([fromPackage.reliability, fromPackage.dropTuplesUponBackPressure], ['ATLEAST_ONCE', true]);
    assert.throws(() => buildRouting(planOf({ ...everyGrouping, config: { 'topology.reliability.mode': 'EFFECTIVELY_ONCE' } }, 2), 'stmgr-1'), (e) => e instanceof RoutingError && /EFFECTIVELY_ONCE is not run/.test(e.message));
    assert.throws(() => buildRouting(planOf({ ...everyGrouping, config: { 'topology.message.timeout.secs': -1 } }, 2), 'stmgr-1'), (e) => e instanceof RoutingError && /topology.message.timeout.secs/.test(e.message));
  });

  it('keeps roots as long as the slowest spout times them out: its own config first, and for ever when it never does', () => {
    const withSpouts = (topologyConfig: TopologyDefinition['config'], ...spoutConfigs: Array<TopologyDefinition['config']>): TopologyDefinition => ({
      ...everyGrouping,
      config: { 'topology.reliability.mode': 'ATLEAST_ONCE', ...topologyConfig },
      spouts: spoutConfigs.map((config, i) => ({ ...everyGrouping.spouts[0]!, name: `src${i === 0 ? '' : i}`, config })),
    });
    const timeoutOf = (definition: TopologyDefinition, fallback?: (key: string) => undefined | number | boolean) => buildRouting(planOf(definition, 2), 'stmgr-1', fallback).messageTimeoutMs;
    assert.equal(timeoutOf(withSpouts({ 'topology.message.timeout.secs': 10 }, {}, { 'topology.message.timeout.secs': 45 })), 45_000);
    assert.equal(timeoutOf(withSpouts({ 'topology.message.timeout.secs': 10 }, { 'topology.message.timeout.secs': 5 })), 5_000);
    assert.equal(timeoutOf(withSpouts({ 'topology.enable.message.timeouts': false }, {})), 0);
    assert.equal(timeoutOf(withSpouts({}, {}, { 'topology.enable.message.timeouts': false })), 0);
    assert.equal(timeoutOf(withSpouts({}, {}), (key) => (key === 'topology.enable.message.timeouts' ? false : undefined)), 0);
    assert.throws(() => timeoutOf(withSpouts({}, { 'topology.message.timeout.secs': 0 })), (e) => e instanceof RoutingError && /topology.message.timeout.secs/.test(e.message));
  });

  it('has no peers on a single stream manager', () => {
    assert.deepEqual(buildRouting(planOf(wordCountTopology(), 1), 'stmgr-1').peers, []);
  });

  it('refuses plans it cannot route', () => {
    const plan = planOf(wordCountTopology(), 2);
    const broken = (change: (p: system.PhysicalPlan) => void) => {
      const copy = system.PhysicalPlan.decode(system.PhysicalPlan.encode(plan).finish());
      change(copy);
      return () => buildRouting(copy, 'stmgr-1');
    };
    const counterInput = (p: system.PhysicalPlan) => p.topology.bolts![0]!.inputs![0]!;
    assert.throws(
      broken((p) => (counterInput(p).groupingFields!.keys![0]!.key = 'nope')),
      (e) => e instanceof RoutingError && /grouping field 'nope' is not a field of the stream \(it declares 'word', 'count'\)/.test(e.message),
    );
    assert.throws(
      broken((p) => (counterInput(p).stream.id = 'missing')),
      /bolt 'counter' input words\/missing: 'words' declares no stream 'missing'/,
    );
    assert.throws(
      broken((p) => (counterInput(p).gtype = 99 as heron.proto.api.Grouping)),
      /unknown grouping 99/,
    );
    assert.throws(
      broken((p) => (p.instances = p.instances.filter((i) => i.info.componentName !== 'sink'))),
      /the plan has no task of 'sink'/,
    );
  });
});
