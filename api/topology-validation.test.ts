import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  BoltDefinition,
  Grouping,
  InputDefinition,
  SpoutDefinition,
  StreamDefinition,
  TopologyDefinition,
} from './topology-definition.js';
import { findTopologyProblems, validateTopology } from './topology-validation.js';

// Definitions are written out by hand here, not through the builder, so each rule is tested on its own.

function stream(id: string, fields: readonly string[] = ['word'], direct = false): StreamDefinition {
  return { id, fields, direct };
}

function spout(name: string, overrides: Partial<SpoutDefinition> = {}): SpoutDefinition {
  return { kind: 'spout', name, parallelism: 1, resources: {}, outputs: [stream('default')], config: {}, ...overrides };
}

function bolt(name: string, inputs: readonly InputDefinition[], overrides: Partial<BoltDefinition> = {}): BoltDefinition {
  return { kind: 'bolt', name, parallelism: 1, resources: {}, outputs: [], config: {}, inputs, ...overrides };
}

function input(component: string, grouping: Grouping = { type: 'shuffle' }, stream = 'default'): InputDefinition {
  return { component, stream, grouping };
}

function topology(overrides: Partial<TopologyDefinition> = {}): TopologyDefinition {
  return { name: 't', spouts: [spout('word')], bolts: [bolt('count', [input('word')])], config: {}, ...overrides };
}

/** Asserts exactly one problem, matching every pattern. */
function problemOf(definition: TopologyDefinition, ...patterns: RegExp[]): string {
  const problems = validateTopology(definition);
  assert.equal(problems.length, 1, `expected one problem, got ${JSON.stringify(problems, null, 2)}`);
  const [problem = ''] = problems;
  for (const pattern of patterns) assert.match(problem, pattern);
  return problem;
}

describe('validateTopology', () => {
  it('accepts a valid topology', () => {
    assert.deepEqual(validateTopology(topology()), []);
  });

  it('accepts a spout-only topology', () => {
    assert.deepEqual(validateTopology(topology({ bolts: [] })), []);
  });

  it('rejects an empty topology name', () => {
    problemOf(topology({ name: '' }), /topology name must not be empty/);
  });

  it('rejects a topology name with other characters', () => {
    problemOf(topology({ name: 'word count' }), /topology name 'word count' may contain only letters, digits, '_' and '-'/);
  });

  it('rejects an empty component name', () => {
    problemOf(topology({ spouts: [spout('word'), spout('')] }), /^spout '': component name must not be empty/);
  });

  it('rejects a component name with other characters', () => {
    problemOf(topology({ bolts: [bolt('count.v2', [input('word')])] }), /^bolt 'count\.v2': component name 'count\.v2' may contain only letters/);
  });

  it("rejects a component name starting with '__', reserved for system components", () => {
    problemOf(topology({ bolts: [bolt('__acker', [input('word')])] }), /^bolt '__acker': .*reserved for system components/);
  });

  it('rejects a component name used twice, across spouts and bolts', () => {
    problemOf(topology({ bolts: [bolt('word', [input('word')])] }), /^bolt 'word': the name is already used by a spout; component names must be unique/);
  });

  it('needs at least one spout', () => {
    problemOf(topology({ spouts: [], bolts: [] }), /a topology needs at least one spout/);
  });

  for (const parallelism of [0, -1, 1.5, Number.NaN]) {
    it(`rejects parallelism ${parallelism}`, () => {
      problemOf(topology({ spouts: [spout('word', { parallelism })] }), /^spout 'word': parallelism must be a whole number >= 1, got /);
    });
  }

  it('rejects cpu <= 0', () => {
    problemOf(topology({ bolts: [bolt('count', [input('word')], { resources: { cpu: 0 } })] }), /^bolt 'count': cpu must be a number of cores > 0, got 0$/);
  });

  it('rejects ram and disk that are not whole bytes >= 0', () => {
    const problems = validateTopology(topology({ spouts: [spout('word', { resources: { ram: 1.5, disk: -1 } })] }));
    assert.deepEqual(problems, ["spout 'word': ram must be a whole number of bytes >= 0, got 1.5", "spout 'word': disk must be a whole number of bytes >= 0, got -1"]);
  });

  it('accepts fractional cpu and zero disk', () => {
    assert.deepEqual(validateTopology(topology({ spouts: [spout('word', { resources: { cpu: 0.25, ram: 1024, disk: 0 } })] })), []);
  });

  it('rejects an empty stream id', () => {
    problemOf(topology({ spouts: [spout('word', { outputs: [stream('default'), stream('')] })] }), /^spout 'word': stream id must not be empty/);
  });

  it('rejects a stream id with other characters', () => {
    problemOf(topology({ spouts: [spout('word', { outputs: [stream('default'), stream('a/b')] })] }), /^spout 'word': stream id 'a\/b' may contain only letters/);
  });

  it("rejects a stream id starting with '__', reserved for system streams", () => {
    problemOf(topology({ spouts: [spout('word', { outputs: [stream('default'), stream('__ack')] })] }), /^spout 'word': stream id '__ack' starts with '__', which is reserved for system streams/);
  });

  it('rejects a stream declared twice by one component', () => {
    problemOf(topology({ spouts: [spout('word', { outputs: [stream('default'), stream('default', ['other'])] })] }), /^spout 'word': stream 'default' is declared more than once/);
  });

  it('allows the same stream id on different components', () => {
    assert.deepEqual(validateTopology(topology({ bolts: [bolt('count', [input('word')], { outputs: [stream('default')] })] })), []);
  });

  it('rejects an empty field name', () => {
    problemOf(topology({ spouts: [spout('word', { outputs: [stream('default', ['word', ''])] })] }), /^spout 'word': stream 'default': field 2 must be a non-empty string, got ""/);
  });

  it('rejects a field declared twice in a stream', () => {
    problemOf(topology({ spouts: [spout('word', { outputs: [stream('default', ['word', 'word'])] })] }), /^spout 'word': stream 'default': field 'word' is declared more than once/);
  });

  it('rejects an input from a component that does not exist, with a suggestion', () => {
    problemOf(topology({ bolts: [bolt('count', [input('wrod')])] }), /^bolt 'count': shuffle grouping on 'wrod' stream 'default': there is no component 'wrod' \(did you mean 'word'\?\); the components are 'word', 'count'/);
  });

  it('rejects an input from a stream the component does not declare, naming those it does', () => {
    const definition = topology({ spouts: [spout('word', { outputs: [stream('default'), stream('pairs')] })], bolts: [bolt('count', [input('word', { type: 'shuffle' }, 'pair')])] });
    problemOf(definition, /^bolt 'count': shuffle grouping on 'word' stream 'pair': spout 'word' declares no stream 'pair' \(did you mean 'pairs'\?\); it declares 'default', 'pairs'/);
  });

  it('says so when the component declares no streams', () => {
    problemOf(topology({ spouts: [spout('word', { outputs: [] })] }), /spout 'word' declares no stream 'default'; it declares no streams/);
  });

  it("rejects a fields grouping on a field not in the stream, listing the stream's fields", () => {
    problemOf(topology({ bolts: [bolt('count', [input('word', { type: 'fields', fields: ['wrd'] })])] }), /^bolt 'count': fields grouping on 'word' stream 'default': field "wrd" is not in the stream \(did you mean 'word'\?\); its fields are 'word'/);
  });

  it('rejects a fields grouping without fields', () => {
    problemOf(topology({ bolts: [bolt('count', [input('word', { type: 'fields', fields: [] })])] }), /^bolt 'count': fields grouping on 'word' stream 'default': a fields grouping needs at least one field/);
  });

  it('rejects a direct grouping on a stream that is not direct', () => {
    problemOf(topology({ bolts: [bolt('count', [input('word', { type: 'direct' })])] }), /^bolt 'count': direct grouping on 'word' stream 'default': direct grouping needs a direct stream/);
  });

  it('rejects another grouping on a direct stream', () => {
    const definition = topology({ spouts: [spout('word', { outputs: [stream('default', ['word'], true)] })], bolts: [bolt('count', [input('word', { type: 'all' })])] });
    problemOf(definition, /^bolt 'count': all grouping on 'word' stream 'default': 'default' is a direct stream, so its subscribers must use direct grouping/);
  });

  it('accepts a direct grouping on a direct stream', () => {
    const definition = topology({ spouts: [spout('word', { outputs: [stream('default', ['word'], true)] })], bolts: [bolt('count', [input('word', { type: 'direct' })])] });
    assert.deepEqual(validateTopology(definition), []);
  });

  it('rejects a bolt subscribing twice to the same component and stream', () => {
    problemOf(topology({ bolts: [bolt('count', [input('word'), input('word', { type: 'all' })])] }), /^bolt 'count': subscribes to 'word' stream 'default' more than once/);
  });

  it('allows a bolt to subscribe to itself, as Storm does', () => {
    const definition = topology({ bolts: [bolt('loop', [input('word'), input('loop')], { outputs: [stream('default')] })] });
    assert.deepEqual(validateTopology(definition), []);
  });

  it('rejects an unknown grouping type', () => {
    problemOf(topology({ bolts: [bolt('count', [input('word', { type: 'shufle' } as unknown as Grouping)])] }), /^bolt 'count': subscription on 'word' stream 'default': unknown grouping type "shufle" \(did you mean 'shuffle'\?\)/);
  });

  it('rejects a custom grouping object without its methods', () => {
    problemOf(topology({ bolts: [bolt('count', [input('word', { type: 'custom', implementation: {} as never })])] }), /custom grouping must have prepare and chooseTasks methods/);
  });

  it('accepts a custom grouping without code (from a spec)', () => {
    assert.deepEqual(validateTopology(topology({ bolts: [bolt('count', [input('word', { type: 'custom' })])] })), []);
  });

  it('reports bad values of known topology config keys', () => {
    problemOf(topology({ config: { 'topology.reliability.mode': 'SOMETIMES' } }), /^topology config: topology\.reliability\.mode: expected one of ATMOST_ONCE, ATLEAST_ONCE, EFFECTIVELY_ONCE, got "SOMETIMES"/);
  });

  it('reports bad values of known keys in component config, naming the component', () => {
    problemOf(topology({ bolts: [bolt('count', [input('word')], { config: { 'topology.debug': 'yes' } })] }), /^bolt 'count' config: topology\.debug: expected true or false, got "yes"/);
  });

  it('leaves unknown keys alone', () => {
    assert.deepEqual(validateTopology(topology({ config: { 'topology.stmgr': 2, 'my.key': 'x' } })), []);
  });

  it('gives each problem a path into the spec form', () => {
    const definition = topology({
      spouts: [spout('word', { parallelism: 0 })],
      bolts: [bolt('count', [input('word'), input('gone')])],
      config: { 'topology.stmgrs': -1 },
    });
    assert.deepEqual(
      findTopologyProblems(definition).map((p) => p.path),
      [['spouts', 0, 'parallelism'], ['bolts', 0, 'inputs', 1, 'component'], ['config']],
    );
  });
});
