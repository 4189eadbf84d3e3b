import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bolt } from './bolt.js';
import type { CustomStreamGrouping } from './custom-grouping.js';
import type { Spout } from './spout.js';
import { TopologyBuilder } from './topology-builder.js';
import { GiB, MiB } from './byte-amount.js';
import { TopologyError } from './topology-error.js';

function spout(fields: readonly string[] = ['word'], extra?: (declarer: Parameters<NonNullable<Spout['declareOutputFields']>>[0]) => void): Spout {
  return {
    declareOutputFields(declarer) {
      declarer.declare(fields);
      extra?.(declarer);
    },
    open() {},
    nextTuple() {},
  };
}

function bolt(fields?: readonly string[]): Bolt {
  return {
    declareOutputFields(declarer) {
      if (fields) declarer.declare(fields);
    },
    execute() {},
  };
}

const roundRobin: CustomStreamGrouping = {
  prepare() {},
  chooseTasks: () => [],
};

function invalid(build: () => unknown): TopologyError {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof TopologyError, `expected a TopologyError, got ${String(error)}`);
    assert.equal(error.code, 'TOPOLOGY_INVALID');
    return error;
  }
  assert.fail('expected build to throw');
}

describe('TopologyBuilder', () => {
  it('builds spouts and bolts in declaration order with their outputs, inputs and parallelism', () => {
    const builder = new TopologyBuilder();
    builder.setSpout('word', spout(), 4);
    builder.setBolt('count', bolt(['word', 'count']), 3).fieldsGrouping('word', ['word']);
    builder.setBolt('report', bolt()).globalGrouping('count');
    const topology = builder.build('word-count');

    assert.equal(topology.name, 'word-count');
    assert.deepEqual(
      topology.spouts.map((s) => [s.kind, s.name, s.parallelism]),
      [['spout', 'word', 4]],
    );
    assert.deepEqual(
      topology.bolts.map((b) => [b.kind, b.name, b.parallelism]),
      [
        ['bolt', 'count', 3],
        ['bolt', 'report', 1],
      ],
    );
    assert.deepEqual(topology.spouts[0]?.outputs, [{ id: 'default', fields: ['word'], direct: false }]);
    assert.deepEqual(topology.bolts[0]?.outputs, [{ id: 'default', fields: ['word', 'count'], direct: false }]);
    assert.deepEqual(topology.bolts[1]?.outputs, []);
    assert.deepEqual(topology.bolts[0]?.inputs, [{ component: 'word', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }]);
    assert.deepEqual(topology.config, {});
  });

  it('records every grouping, on the default stream unless one is named', () => {
    const builder = new TopologyBuilder();
    builder.setSpout(
      'source',
      spout(['a'], (d) => {
        d.declareStream('pairs', ['a', 'b']);
        d.declareStream('targeted', ['a'], { direct: true });
      }),
    );
    builder
      .setBolt('sink', bolt())
      .shuffleGrouping('source')
      .fieldsGrouping('source', ['b'], 'pairs')
      .directGrouping('source', 'targeted');
    builder.setBolt('all', bolt()).allGrouping('source').allGrouping('source', 'pairs');
    builder.setBolt('global', bolt()).globalGrouping('source');
    builder.setBolt('none', bolt()).noneGrouping('source');
    builder.setBolt('custom', bolt()).customGrouping('source', roundRobin).customGrouping('source', roundRobin, 'pairs');
    const topology = builder.build('groupings');

    const inputsOf = (name: string) => topology.bolts.find((b) => b.name === name)?.inputs;
    assert.deepEqual(inputsOf('sink'), [
      { component: 'source', stream: 'default', grouping: { type: 'shuffle' } },
      { component: 'source', stream: 'pairs', grouping: { type: 'fields', fields: ['b'] } },
      { component: 'source', stream: 'targeted', grouping: { type: 'direct' } },
    ]);
    assert.deepEqual(inputsOf('all'), [
      { component: 'source', stream: 'default', grouping: { type: 'all' } },
      { component: 'source', stream: 'pairs', grouping: { type: 'all' } },
    ]);
    assert.deepEqual(inputsOf('global'), [{ component: 'source', stream: 'default', grouping: { type: 'global' } }]);
    assert.deepEqual(inputsOf('none'), [{ component: 'source', stream: 'default', grouping: { type: 'none' } }]);
    const custom = inputsOf('custom');
    assert.equal(custom?.[0]?.grouping.type, 'custom');
    assert.equal(custom?.[1]?.stream, 'pairs');
    assert.ok(custom?.[0]?.grouping.type === 'custom' && custom[0].grouping.implementation === roundRobin, 'the implementation is kept by reference');
    assert.deepEqual(topology.spouts[0]?.outputs, [
      { id: 'default', fields: ['a'], direct: false },
      { id: 'pairs', fields: ['a', 'b'], direct: false },
      { id: 'targeted', fields: ['a'], direct: true },
    ]);
  });

  it('sets resources from numbers and size strings, and chains', () => {
    const builder = new TopologyBuilder();
    const declarer = builder.setSpout('word', spout()).setCpu(0.5).setRam('2GiB').setDisk(10 * GiB);
    assert.equal(declarer.name, 'word');
    builder.setBolt('count', bolt()).setRam(512 * MiB).shuffleGrouping('word').setCpu(2);
    const topology = builder.build('resources');
    assert.deepEqual(topology.spouts[0]?.resources, { cpu: 0.5, ram: 2 * GiB, disk: 10 * GiB });
    assert.deepEqual(topology.bolts[0]?.resources, { cpu: 2, ram: 512 * MiB });
  });

  it('reports an unparsable size with the component and what it expects', () => {
    const builder = new TopologyBuilder();
    builder.setSpout('word', spout()).setRam('lots');
    const error = invalid(() => builder.build('t'));
    assert.match(error.message, /spout 'word': ram: expected a whole number of bytes or a size such as '512MiB' or '2GiB', got "lots"/);
  });

  it('keeps component config and topology config', () => {
    const builder = new TopologyBuilder();
    builder
      .setSpout('word', spout())
      .addConfiguration('topology.tick.tuple.freq.secs', 5)
      .addConfigurations({ 'my.key': 'a', 'my.list': [1, 2] })
      .addConfiguration('my.key', 'b');
    const topology = builder.build('config', { 'topology.stmgrs': 2, 'topology.container.ram': '4GiB' });
    assert.deepEqual(topology.spouts[0]?.config, { 'topology.tick.tuple.freq.secs': 5, 'my.key': 'b', 'my.list': [1, 2] });
    assert.deepEqual(topology.config, { 'topology.stmgrs': 2, 'topology.container.ram': '4GiB' });
  });

  it('reports bad values of known topology keys, in the topology and in a component', () => {
    const builder = new TopologyBuilder();
    builder.setSpout('word', spout()).addConfiguration('topology.tick.tuple.freq.secs', 0);
    const error = invalid(() => builder.build('t', { 'topology.stmgrs': 0 }));
    assert.ok(error.problems.some((p) => /^spout 'word' config: topology\.tick\.tuple\.freq\.secs: expected a number of seconds > 0, got 0$/.test(p)), error.message);
    assert.ok(error.problems.some((p) => /^topology config: topology\.stmgrs: expected a whole number >= 1, got 0$/.test(p)), error.message);
  });

  it('wraps an object in a factory returning it, and keeps a factory as given', () => {
    const object = spout();
    const factory = () => bolt();
    const builder = new TopologyBuilder();
    builder.setSpout('word', object);
    builder.setBolt('count', factory).shuffleGrouping('word');
    const topology = builder.build('factories');
    assert.equal(topology.spouts[0]?.factory?.(), object);
    assert.equal(topology.spouts[0]?.factory?.(), object);
    assert.equal(topology.bolts[0]?.factory, factory);
  });

  it('calls a factory once at build time to read its output fields', () => {
    let created = 0;
    const builder = new TopologyBuilder();
    builder.setSpout('word', () => {
      created += 1;
      return spout(['w']);
    });
    assert.equal(created, 0);
    const topology = builder.build('t');
    assert.equal(created, 1);
    assert.deepEqual(topology.spouts[0]?.outputs[0]?.fields, ['w']);
  });

  it('reports a factory that throws, with the error as the cause', () => {
    const boom = new Error('no database');
    const builder = new TopologyBuilder();
    builder.setSpout('word', () => {
      throw boom;
    });
    const error = invalid(() => builder.build('t'));
    assert.match(error.message, /spout 'word': creating it or declaring its output fields failed: no database/);
    assert.equal(error.cause, boom);
  });

  it('suggests a factory when given a class', () => {
    class WordSpout {
      open(): void {}
      nextTuple(): void {}
    }
    const builder = new TopologyBuilder();
    builder.setSpout('word', WordSpout as unknown as () => Spout);
    assert.match(invalid(() => builder.build('t')).message, /spout 'word': .*pass a factory such as \(\) => new MyComponent\(\)/);
  });

  it('reports something that is not a spout or bolt', () => {
    const builder = new TopologyBuilder();
    builder.setSpout('word', spout());
    builder.setBolt('count', { declareOutputFields() {} } as unknown as Bolt).shuffleGrouping('word');
    assert.match(invalid(() => builder.build('t')).message, /bolt 'count': expected a bolt \(an object with an execute method\) or a function returning one/);
  });

  it('returns a deeply frozen definition that later builder calls do not change', () => {
    const fields = ['word'];
    const config = { 'topology.stmgrs': 2, nested: { list: [1] } };
    const builder = new TopologyBuilder();
    const declarer = builder.setSpout('word', spout(fields));
    builder.setBolt('count', bolt()).fieldsGrouping('word', fields);
    const topology = builder.build('frozen', config);

    fields.push('changed');
    config.nested.list.push(2);
    declarer.setCpu(4).addConfiguration('late', true);
    builder.setBolt('late', bolt()).shuffleGrouping('word');

    assert.deepEqual(topology.spouts[0]?.outputs[0]?.fields, ['word']);
    assert.deepEqual(topology.config, { 'topology.stmgrs': 2, nested: { list: [1] } });
    assert.deepEqual(topology.spouts[0]?.resources, {});
    assert.deepEqual(topology.spouts[0]?.config, {});
    assert.equal(topology.bolts.length, 1);

    for (const value of [
      topology,
      topology.spouts,
      topology.bolts,
      topology.config,
      topology.config.nested,
      topology.spouts[0],
      topology.spouts[0]?.outputs,
      topology.spouts[0]?.outputs[0],
      topology.spouts[0]?.outputs[0]?.fields,
      topology.spouts[0]?.resources,
      topology.bolts[0]?.inputs,
      topology.bolts[0]?.inputs[0],
      topology.bolts[0]?.inputs[0]?.grouping,
    ]) {
      assert.ok(Object.isFrozen(value), `${JSON.stringify(value)} is frozen`);
    }
  });

  it('does not freeze a custom grouping, which may keep state', () => {
    const grouping = { targets: [] as readonly number[], prepare(_c: unknown, _s: unknown, targets: readonly number[]) { this.targets = targets; }, chooseTasks() { return this.targets; } };
    const builder = new TopologyBuilder();
    builder.setSpout('word', spout());
    builder.setBolt('count', bolt()).customGrouping('word', grouping);
    builder.build('t');
    assert.equal(Object.isFrozen(grouping), false);
  });

  it('lists every problem at once', () => {
    const builder = new TopologyBuilder();
    builder.setSpout('bad name', spout(), 0);
    builder.setBolt('count', bolt()).shuffleGrouping('nowhere');
    const error = invalid(() => builder.build('t'));
    assert.equal(error.problems.length, 3, error.message);
    assert.match(error.message, /^topology 't' is invalid:\n {2}- /);
  });
});
