import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bolt } from '../../api/bolt.js';
import type { Spout } from '../../api/spout.js';
import type { BoltDefinition, Grouping, SpoutDefinition, TopologyDefinition } from '../../api/topology-definition.js';
import { heron, ProtoCodecError, ProtoTopology, topologyFromProto, topologyToProto } from './index.js';

const api = heron.proto.api;
const GiB = 2 ** 30;

const spoutFactory = (): Spout => ({ open() {}, nextTuple() {} });
const boltFactory = (): Bolt => ({ execute() {} });

/** Every JSON kind, nested too. */
const EVERY_KIND = {
  string: 'text',
  numericString: '42',
  emptyString: '',
  integer: 7,
  fraction: 0.25,
  negative: -3,
  big: 64 * GiB,
  yes: true,
  no: false,
  nothing: null,
  list: [1, 'two', false, null, [3], { four: 4 }],
  emptyList: [],
  object: { a: 1, b: ['x'], c: { d: null } },
  emptyObject: {},
} as const;

function bolt(name: string, grouping: Grouping, extra: Partial<BoltDefinition> = {}): BoltDefinition {
  return {
    kind: 'bolt',
    name,
    parallelism: 1,
    resources: {},
    outputs: [],
    config: {},
    inputs: [{ component: 'words', stream: 'default', grouping }],
    factory: boltFactory,
    ...extra,
  };
}

const words: SpoutDefinition = {
  kind: 'spout',
  name: 'words',
  parallelism: 3,
  resources: { cpu: 0.5, ram: 512 * 2 ** 20, disk: 2 * GiB },
  outputs: [
    { id: 'default', fields: ['word', 'count'], direct: false },
    { id: 'targeted', fields: ['word'], direct: true },
    { id: 'empty', fields: [], direct: false },
  ],
  config: { 'spout.batch': 10, ...EVERY_KIND },
  factory: spoutFactory,
};

const topology: TopologyDefinition = {
  name: 'every-grouping',
  spouts: [words, { ...words, name: 'numbers', parallelism: 1, resources: { ram: GiB }, outputs: [{ id: 'default', fields: ['n'], direct: false }], config: {} }],
  bolts: [
    bolt('shuffled', { type: 'shuffle' }, { resources: { cpu: 2 } }),
    bolt('by-word', { type: 'fields', fields: ['word'] }, { parallelism: 4, outputs: [{ id: 'default', fields: ['word', 'total'], direct: false }] }),
    bolt('by-two', { type: 'fields', fields: ['word', 'count'] }),
    bolt('everyone', { type: 'all' }),
    bolt('lowest', { type: 'global' }),
    bolt('whatever', { type: 'none' }),
    bolt('directed', { type: 'direct' }, { inputs: [{ component: 'words', stream: 'targeted', grouping: { type: 'direct' } }] }),
    bolt('custom', { type: 'custom' }),
    bolt('many-inputs', { type: 'shuffle' }, {
      inputs: [
        { component: 'words', stream: 'default', grouping: { type: 'fields', fields: ['count'] } },
        { component: 'numbers', stream: 'default', grouping: { type: 'all' } },
        { component: 'by-word', stream: 'default', grouping: { type: 'global' } },
      ],
      config: { 'bolt.window': [1, 2], 'topology.tick.tuple.freq.secs': 5 },
      resources: { cpu: 1, ram: 3 * GiB, disk: 64 * GiB },
    }),
  ],
  config: { 'topology.stmgrs': 2, 'topology.reliability.mode': 'ATLEAST_ONCE', 'topology.debug': false, ...EVERY_KIND },
};

/** What a decoded topology can hold: no factories, no custom grouping objects. */
function withoutCode(t: TopologyDefinition): TopologyDefinition {
  return {
    ...t,
    spouts: t.spouts.map(({ factory: _f, ...s }) => s),
    bolts: t.bolts.map(({ factory: _f, ...b }) => ({
      ...b,
      inputs: b.inputs.map((i) => (i.grouping.type === 'custom' ? { ...i, grouping: { type: 'custom' as const } } : i)),
    })),
  };
}

function throughBytes(proto: ProtoTopology): ProtoTopology {
  return ProtoTopology.decode(ProtoTopology.encode(proto).finish());
}

function componentOf(proto: ProtoTopology, name: string): heron.proto.api.Component.$Properties {
  const comp = [...(proto.spouts ?? []), ...(proto.bolts ?? [])].map((c) => c.comp).find((c) => c.name === name);
  assert.ok(comp, `no component ${name}`);
  return comp;
}

describe('topology codec', () => {
  it('round-trips through bytes: every grouping, direct and multiple streams, config of every JSON kind', () => {
    const decoded = topologyFromProto(throughBytes(topologyToProto(topology, { id: 'every-grouping-1' })));
    assert.deepEqual(decoded, withoutCode(topology));
  });

  it('drops the custom grouping object but keeps the grouping', () => {
    const custom = bolt('custom', { type: 'custom', implementation: { prepare() {}, chooseTasks: () => [] } });
    const decoded = topologyFromProto(throughBytes(topologyToProto({ ...topology, bolts: [custom] }, { id: 'x' })));
    assert.deepEqual(decoded.bolts[0]?.inputs[0]?.grouping, { type: 'custom' });
  });

  it('writes Heron groupings, schemas, state and component keys', () => {
    const proto = topologyToProto(topology, { id: 'every-grouping-1' });
    assert.equal(proto.id, 'every-grouping-1');
    assert.equal(proto.name, 'every-grouping');
    assert.equal(proto.state, api.TopologyState.RUNNING);
    assert.equal(topologyToProto(topology, { id: 'i', state: 'PAUSED' }).state, api.TopologyState.PAUSED);
    const gtypes = Object.fromEntries((proto.bolts ?? []).map((b) => [b.comp.name, b.inputs?.[0]?.gtype]));
    assert.deepEqual(gtypes, {
      shuffled: api.Grouping.SHUFFLE,
      'by-word': api.Grouping.FIELDS,
      'by-two': api.Grouping.FIELDS,
      everyone: api.Grouping.ALL,
      lowest: api.Grouping.LOWEST,
      whatever: api.Grouping.NONE,
      directed: api.Grouping.DIRECT,
      custom: api.Grouping.CUSTOM,
      'many-inputs': api.Grouping.FIELDS,
    });
    const byTwo = proto.bolts?.find((b) => b.comp.name === 'by-two')?.inputs?.[0];
    assert.deepEqual(byTwo?.groupingFields, { keys: [{ key: 'word', type: api.Type.OBJECT }, { key: 'count', type: api.Type.OBJECT }] });
    assert.deepEqual(byTwo?.stream, { id: 'default', componentName: 'words' });
    const outputs = proto.spouts?.[0]?.outputs ?? [];
    assert.deepEqual(
      outputs.map((o) => [o.stream.id, o.stream.componentName, o.schema.keys?.map((k) => k.key), o.direct]),
      [
        ['default', 'words', ['word', 'count'], false],
        ['targeted', 'words', ['word'], true],
        ['empty', 'words', [], false],
      ],
    );
    const kvs = Object.fromEntries((componentOf(proto, 'words').config.kvs ?? []).map((kv) => [kv.key, [kv.value, kv.type]]));
    assert.deepEqual(kvs['topology.component.parallelism'], ['3', api.ConfigValueType.JSON_VALUE]);
    assert.deepEqual(kvs['topology.component.cpu'], ['0.5', api.ConfigValueType.JSON_VALUE]);
    assert.deepEqual(kvs['topology.component.ram'], [String(512 * 2 ** 20), api.ConfigValueType.JSON_VALUE]);
    assert.deepEqual(kvs['topology.component.disk'], [String(2 * GiB), api.ConfigValueType.JSON_VALUE]);
    assert.deepEqual(kvs['string'], ['text', api.ConfigValueType.STRING_VALUE]);
    assert.deepEqual(kvs['numericString'], ['42', api.ConfigValueType.STRING_VALUE]);
    assert.deepEqual(kvs['object'], ['{"a":1,"b":["x"],"c":{"d":null}}', api.ConfigValueType.JSON_VALUE]);
    const numbers = Object.fromEntries((componentOf(proto, 'numbers').config.kvs ?? []).map((kv) => [kv.key, kv.value]));
    assert.deepEqual(numbers, { 'topology.component.parallelism': '1', 'topology.component.ram': String(GiB) });
  });

  it('reads component keys written by Heron as strings (no type)', () => {
    const proto = throughBytes(topologyToProto(topology, { id: 'i' }));
    for (const kv of componentOf(proto, 'words').config.kvs ?? []) {
      if (kv.key.startsWith('topology.component.')) kv.type = api.ConfigValueType.STRING_VALUE;
    }
    const spout = topologyFromProto(proto).spouts[0];
    assert.equal(spout?.parallelism, 3);
    assert.deepEqual(spout?.resources, words.resources);
  });

  it('refuses to encode a component config that sets a key the codec writes', () => {
    const bad = { ...topology, bolts: [bolt('b', { type: 'shuffle' }, { config: { 'topology.component.parallelism': 9 } })] };
    assert.throws(() => topologyToProto(bad, { id: 'i' }), (e: unknown) => e instanceof ProtoCodecError && e.code === 'PROTO_UNENCODABLE' && /component 'b'.*topology\.component\.parallelism/.test(e.message));
  });

  it('refuses to encode a number JSON cannot carry', () => {
    const bad = { ...topology, config: { 'topology.x': [1, Number.NaN] } };
    assert.throws(() => topologyToProto(bad, { id: 'i' }), /topology config: config key 'topology\.x': NaN has no JSON form/);
  });
});

describe('topology codec on a malformed proto', () => {
  function malformed(edit: (proto: ProtoTopology) => void, pattern: RegExp): void {
    const proto = throughBytes(topologyToProto(topology, { id: 'i' }));
    edit(proto);
    assert.throws(
      () => topologyFromProto(proto),
      (e: unknown) => e instanceof ProtoCodecError && e.code === 'PROTO_MALFORMED' && pattern.test(e.message),
    );
  }
  const boltNamed = (proto: ProtoTopology, name: string) => proto.bolts!.find((b) => b.comp.name === name)!;

  it('names the component and input of an unknown grouping', () => {
    malformed((p) => (boltNamed(p, 'lowest').inputs![0]!.gtype = 42 as heron.proto.api.Grouping), /component 'lowest': input 'words\/default': unknown grouping 42/);
  });

  it('names the component of a fields grouping without fields', () => {
    malformed((p) => (boltNamed(p, 'by-word').inputs![0]!.groupingFields = null), /component 'by-word'.*fields grouping without grouping_fields/);
  });

  it('names the component of a missing parallelism', () => {
    malformed((p) => {
      const comp = boltNamed(p, 'everyone').comp;
      comp.config.kvs = comp.config.kvs!.filter((kv) => kv.key !== 'topology.component.parallelism');
    }, /component 'everyone': config key 'topology\.component\.parallelism' is missing/);
  });

  it('names the component and key of an invalid parallelism', () => {
    malformed((p) => {
      const kv = boltNamed(p, 'everyone').comp.config.kvs!.find((k) => k.key === 'topology.component.parallelism')!;
      kv.value = '0';
    }, /component 'everyone': config key 'topology\.component\.parallelism' must be a whole number >= 1, not 0/);
  });

  it('names the component and key of bad JSON', () => {
    malformed((p) => {
      p.spouts![0]!.comp.config.kvs!.find((k) => k.key === 'integer')!.value = '{not json';
    }, /component 'words': config key 'integer' is not valid JSON/);
  });

  it('names the key of bad JSON in the topology config', () => {
    malformed((p) => {
      p.topologyConfig!.kvs!.find((k) => k.key === 'topology.stmgrs')!.value = '';
    }, /topology config: config key 'topology\.stmgrs' is not valid JSON/);
  });

  it('refuses a Java-serialized value, naming the key', () => {
    malformed((p) => {
      p.topologyConfig!.kvs!.push({ key: 'topology.kryo', serializedValue: Uint8Array.of(0xac, 0xed), type: api.ConfigValueType.JAVA_SERIALIZED_VALUE });
    }, /topology config: config key 'topology\.kryo' holds a serialized Java value/);
  });
});
