import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB } from './byte-amount.js';
import type { Bolt } from './bolt.js';
import type { Spout } from './spout.js';
import { TopologyBuilder } from './topology-builder.js';
import { TopologyError } from './topology-error.js';
import { topologyFromSpec, topologyToSpec } from './topology-spec.js';

const EXAMPLE = {
  name: 't',
  spouts: [{ name: 'spout', parallelism: 4, ram: 2147483648, outputs: { default: ['word'] } }],
  bolts: [{ name: 'bolt', parallelism: 3, cpu: 2, inputs: [{ component: 'spout', stream: 'default', grouping: 'fields', fields: ['word'] }] }],
  config: { 'topology.stmgrs': 2, 'topology.container.max.instances': 4 },
};

/** The problems of a spec that must fail. */
function problemsOf(spec: unknown, source = 'topology.json'): readonly string[] {
  try {
    topologyFromSpec(spec, source);
  } catch (error) {
    assert.ok(error instanceof TopologyError, String(error));
    assert.equal(error.code, 'TOPOLOGY_INVALID');
    return error.problems;
  }
  assert.fail('expected the spec to be rejected');
}

function withBolt(boltOverrides: Record<string, unknown>): unknown {
  return { ...EXAMPLE, bolts: [{ ...EXAMPLE.bolts[0], ...boltOverrides }] };
}

describe('topologyFromSpec', () => {
  it('accepts the documented form exactly', () => {
    const topology = topologyFromSpec(JSON.parse(JSON.stringify(EXAMPLE)), 'topology.json');
    assert.deepEqual(topology, {
      name: 't',
      spouts: [{ kind: 'spout', name: 'spout', parallelism: 4, resources: { ram: 2 * GiB }, outputs: [{ id: 'default', fields: ['word'], direct: false }], config: {} }],
      bolts: [
        {
          kind: 'bolt',
          name: 'bolt',
          parallelism: 3,
          resources: { cpu: 2 },
          outputs: [],
          config: {},
          inputs: [{ component: 'spout', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }],
        },
      ],
      config: { 'topology.stmgrs': 2, 'topology.container.max.instances': 4 },
    });
    assert.ok(Object.isFrozen(topology) && Object.isFrozen(topology.bolts[0]?.inputs[0]?.grouping));
  });

  it('accepts sizes as strings, as YAML files write them', () => {
    const topology = topologyFromSpec({ name: 't', spouts: [{ name: 's', ram: '2GiB', disk: '512 MiB', outputs: { default: ['w'] } }] }, 'topology.yaml');
    assert.deepEqual(topology.spouts[0]?.resources, { ram: 2 * GiB, disk: 512 * 1024 * 1024 });
  });

  it('applies defaults: parallelism 1, stream default, grouping shuffle, no bolts, empty config', () => {
    const spoutOnly = topologyFromSpec({ name: 't', spouts: [{ name: 's', outputs: { default: ['w'] } }] }, 'spec.json');
    assert.equal(spoutOnly.spouts[0]?.parallelism, 1);
    assert.deepEqual(spoutOnly.bolts, []);
    assert.deepEqual(spoutOnly.config, {});
    assert.equal(spoutOnly.spouts[0]?.factory, undefined);

    const withBolt = topologyFromSpec({ name: 't', spouts: [{ name: 's', outputs: { default: ['w'] } }], bolts: [{ name: 'b', inputs: [{ component: 's' }] }] }, 'spec.json');
    assert.deepEqual(withBolt.bolts[0]?.inputs, [{ component: 's', stream: 'default', grouping: { type: 'shuffle' } }]);
    assert.equal(withBolt.bolts[0]?.parallelism, 1);
  });

  it('accepts direct streams, every grouping and component config', () => {
    const topology = topologyFromSpec(
      {
        name: 't',
        spouts: [{ name: 's', outputs: { default: ['w'], targeted: { fields: ['w'], direct: true }, plain: { fields: ['x'] } }, config: { 'topology.debug': true } }],
        bolts: [
          {
            name: 'b',
            inputs: [
              { component: 's', grouping: 'all' },
              { component: 's', stream: 'targeted', grouping: 'direct' },
              { component: 's', stream: 'plain', grouping: 'custom' },
            ],
          },
          { name: 'c', inputs: [{ component: 's', grouping: 'global' }] },
          { name: 'd', inputs: [{ component: 's', grouping: 'none' }] },
        ],
      },
      'spec.json',
    );
    assert.deepEqual(topology.spouts[0]?.outputs, [
      { id: 'default', fields: ['w'], direct: false },
      { id: 'targeted', fields: ['w'], direct: true },
      { id: 'plain', fields: ['x'], direct: false },
    ]);
    assert.deepEqual(topology.spouts[0]?.config, { 'topology.debug': true });
    assert.deepEqual(
      topology.bolts.flatMap((b) => b.inputs.map((i) => i.grouping.type)),
      ['all', 'direct', 'custom', 'global', 'none'],
    );
  });

  it('reports an unknown key with its path, a suggestion and the allowed keys', () => {
    const { inputs, ...bolt } = EXAMPLE.bolts[0] ?? {};
    const problems = problemsOf({ ...EXAMPLE, bolts: [{ ...bolt, inptus: inputs }] });
    assert.deepEqual(problems, [
      "topology.json: bolts[0].inptus: unknown key (did you mean 'inputs'?); expected one of name, parallelism, cpu, ram, disk, outputs, config, inputs",
    ]);
  });

  it('reports unknown keys at every level', () => {
    const problems = problemsOf({
      name: 't',
      sprouts: [],
      spouts: [{ name: 's', paralelism: 2, outputs: { default: { fields: ['w'], drect: true } } }],
      bolts: [{ name: 'b', inputs: [{ component: 's', grouping: 'shuffle', stream_id: 'default' }] }],
    });
    assert.deepEqual(problems.map((p) => p.replace(/;.*/, '')).sort(), [
      "topology.json: bolts[0].inputs[0].stream_id: unknown key (did you mean 'stream'?)",
      "topology.json: spouts[0].outputs.default.drect: unknown key (did you mean 'direct'?)",
      "topology.json: spouts[0].paralelism: unknown key (did you mean 'parallelism'?)",
      "topology.json: sprouts: unknown key (did you mean 'spouts'?)",
    ]);
    assert.ok(problems.some((p) => p.endsWith('drect: unknown key (did you mean \'direct\'?); expected one of fields, direct')));
  });

  it('reports values of the wrong type with their path', () => {
    const problems = problemsOf({
      name: 't',
      spouts: [{ name: 's', parallelism: '4', ram: 'lots', outputs: { default: 'word' } }],
      bolts: [{ name: 'b', cpu: true, inputs: [{ component: 's', grouping: 'fields' }, { component: 's', grouping: 'feilds', fields: ['w'] }] }],
    });
    assert.deepEqual(problems, [
      'topology.json: spouts[0].parallelism: expected a number, got "4"',
      'topology.json: spouts[0].ram: expected a whole number of bytes or a size such as \'512MiB\' or \'2GiB\', got "lots"',
      'topology.json: spouts[0].outputs.default: expected a list or an object, got "word"',
      'topology.json: bolts[0].cpu: expected a number, got true',
      "topology.json: bolts[0].inputs[0].fields: a fields grouping needs 'fields', the fields to group by",
      'topology.json: bolts[0].inputs[1].grouping: expected one of shuffle, fields, all, global, none, direct, custom, got "feilds" (did you mean \'fields\'?)',
    ]);
  });

  it('reports missing required keys', () => {
    assert.deepEqual(problemsOf({ spouts: [{ outputs: {} }] }, 'x.yaml'), ['x.yaml: name: missing; expected a string', 'x.yaml: spouts[0].name: missing; expected a string']);
  });

  it('reports fields on a grouping that is not fields', () => {
    assert.deepEqual(problemsOf(withBolt({ inputs: [{ component: 'spout', fields: ['word'] }] })), [
      "topology.json: bolts[0].inputs[0].fields: only a fields grouping takes 'fields' (this input's grouping is shuffle, the default)",
    ]);
  });

  it('reports a spec that is not an object', () => {
    const error = (() => {
      try {
        topologyFromSpec(['not', 'a', 'topology'], 'list.json');
      } catch (e) {
        return e as TopologyError;
      }
      assert.fail('expected a TopologyError');
    })();
    assert.equal(error.message, 'the topology in list.json is invalid: list.json: expected an object, got a list');
  });

  it('reports config values that are not plain data, with the key quoted in the path', () => {
    assert.deepEqual(problemsOf({ ...EXAMPLE, config: { 'topology.stmgrs': 2, 'my.setting': { nested: [1, undefined] } } }), [
      'topology.json: config["my.setting"].nested[1]: expected a string, a number, a boolean, null, a list or an object, got nothing',
    ]);
  });

  it('runs the rules of the model after the schema, naming the file and the path', () => {
    const problems = problemsOf(withBolt({ parallelism: 0, inputs: [{ component: 'spuot', grouping: 'fields', fields: ['word'] }] }), 'wc.yaml');
    assert.deepEqual(problems, [
      "wc.yaml: bolts[0].parallelism: bolt 'bolt': parallelism must be a whole number >= 1, got 0",
      "wc.yaml: bolts[0].inputs[0].component: bolt 'bolt': fields grouping on 'spuot' stream 'default': there is no component 'spuot' (did you mean 'spout'?); the components are 'spout', 'bolt'",
    ]);
  });

  it('reports bad values of known topology keys', () => {
    const error = (() => {
      try {
        topologyFromSpec({ ...EXAMPLE, config: { 'topology.stmgrs': 0 } }, 'wc.yaml');
      } catch (e) {
        return e as TopologyError;
      }
      assert.fail('expected a TopologyError');
    })();
    assert.equal(error.message, "topology 't' is invalid: wc.yaml: config: topology config: topology.stmgrs: expected a whole number >= 1, got 0");
  });
});

describe('topologyToSpec', () => {
  it('round-trips the documented form', () => {
    const topology = topologyFromSpec(EXAMPLE, 'topology.json');
    const spec = topologyToSpec(topology);
    assert.deepEqual(topologyFromSpec(JSON.parse(JSON.stringify(spec)), 'round-trip.json'), topology);
  });

  it('writes every default out and round-trips a built topology, without its code', () => {
    const spout: Spout = {
      declareOutputFields: (d) => {
        d.declare(['word']);
        d.declareStream('targeted', ['word'], { direct: true });
      },
      open() {},
      nextTuple() {},
    };
    const bolt: Bolt = { execute() {} };
    const builder = new TopologyBuilder();
    builder.setSpout('word', spout, 2).setRam('1GiB').setDisk(0).addConfiguration('topology.debug', true);
    builder.setBolt('count', bolt, 3).setCpu(0.5).fieldsGrouping('word', ['word']).directGrouping('word', 'targeted');
    builder.setBolt('custom', bolt).customGrouping('word', { prepare() {}, chooseTasks: () => [] });
    const built = builder.build('wc', { 'topology.stmgrs': 2 });

    const spec = topologyToSpec(built);
    assert.deepEqual(spec, {
      name: 'wc',
      spouts: [{ name: 'word', parallelism: 2, ram: GiB, disk: 0, outputs: { default: ['word'], targeted: { fields: ['word'], direct: true } }, config: { 'topology.debug': true } }],
      bolts: [
        {
          name: 'count',
          parallelism: 3,
          cpu: 0.5,
          outputs: {},
          inputs: [
            { component: 'word', stream: 'default', grouping: 'fields', fields: ['word'] },
            { component: 'word', stream: 'targeted', grouping: 'direct' },
          ],
        },
        { name: 'custom', parallelism: 1, outputs: {}, inputs: [{ component: 'word', stream: 'default', grouping: 'custom' }] },
      ],
      config: { 'topology.stmgrs': 2 },
    });

    const read = topologyFromSpec(JSON.parse(JSON.stringify(spec)), 'wc.json');
    assert.deepEqual(topologyToSpec(read), spec);
    assert.equal(read.spouts[0]?.factory, undefined);
  });
});
