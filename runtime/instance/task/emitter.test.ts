import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { CustomStreamGrouping } from '../../../api/custom-grouping.js';
import type { TopologyContext } from '../../../api/topology-context.js';
import { TopologyBuilder } from '../../../api/topology-builder.js';
import type { TopologyDefinition } from '../../../api/topology-definition.js';
import { heron, topologyToProto } from '../../../core/proto/index.js';
import { FrameReader } from '../../protocol/frames.js';
import { ACKS_TAG, FAILS_TAG } from '../codec/control-set-writer.js';
import type { FinishedFrame } from '../codec/tuple-set-writer.js';
import { EgretSerializer } from '../serializer/egret-serializer.js';
import { egretValueCodec } from '../serializer/value-codec.js';
import { Emitter, type EmitterOptions } from './emitter.js';
import { OutboundFrames } from './outbound-frames.js';
import { PlanView } from './plan-view.js';
import { SpoutRunner } from './spout-runner.js';
import { buildRoutes } from './stream-routes.js';

const serializer = new EgretSerializer();

class FirstTask implements CustomStreamGrouping {
  targets: readonly number[] = [];
  choice: ((targets: readonly number[]) => readonly number[]) | undefined;
  prepare(_context: TopologyContext, _stream: unknown, targets: readonly number[]): void {
    this.targets = targets;
  }
  chooseTasks(): readonly number[] {
    return this.choice ? this.choice(this.targets) : [this.targets[0]!];
  }
}

/** spout `s` (task 1) with streams default(a, b), d (direct), c; bolt `k` (tasks 2, 3) subscribing to all three. */
function topology(grouping: FirstTask): TopologyDefinition {
  const builder = new TopologyBuilder();
  builder.setSpout('s', {
    declareOutputFields: (d) => {
      d.declare(['a', 'b']);
      d.declareStream('d', ['x'], { direct: true });
      d.declareStream('c', ['x']);
    },
    open: () => undefined,
    nextTuple: () => undefined,
  });
  builder.setBolt('k', { execute: () => undefined }, 2).shuffleGrouping('s').directGrouping('s', 'd').customGrouping('s', grouping, 'c');
  return builder.build('t');
}

function planOf(definition: TopologyDefinition): PlanView {
  const plan = heron.proto.system.PhysicalPlan.create({
    topology: topologyToProto(definition, { id: 't-1' }),
    stmgrs: [],
    instances: [
      { instanceId: 'container_1_s_1', stmgrId: 'stmgr-1', info: { taskId: 1, componentIndex: 0, componentName: 's' } },
      { instanceId: 'container_1_k_2', stmgrId: 'stmgr-1', info: { taskId: 2, componentIndex: 0, componentName: 'k' } },
      { instanceId: 'container_1_k_3', stmgrId: 'stmgr-1', info: { taskId: 3, componentIndex: 1, componentName: 'k' } },
    ],
  });
  return PlanView.decode(heron.proto.system.PhysicalPlan.encode(plan).finish());
}

function setup(options: Partial<EmitterOptions> = {}) {
  const grouping = new FirstTask();
  const definition = topology(grouping);
  const sent: FinishedFrame[] = [];
  const out = new OutboundFrames((frame) => sent.push(frame), 4096, 4);
  const routes = buildRoutes(planOf(definition), 's', 1, definition, egretValueCodec, {} as TopologyContext);
  const emitter = new Emitter(routes, out, { component: 's', taskId: 1, batchBytes: 1024, batchMs: 5, maxFrameBytes: 1 << 20, ...options });
  const tuples = () =>
    sent.flatMap((frame) => {
      const [parsed] = new FrameReader(1 << 30).push(Buffer.from(frame.buffer, frame.start, frame.end - frame.start));
      const set = heron.proto.system.HeronTupleSet.decode(parsed!.payload);
      return set.data!.tuples!.map((t) => ({ stream: set.data!.stream.id, values: t.values!.map((v) => serializer.deserialize(v)), dests: t.destTaskIds }));
    });
  /** Each frame sent, in order: its data tuples' values and roots, or its acks and fails as records. */
  const wire = () =>
    sent.map((frame) => {
      const [parsed] = new FrameReader(1 << 30).push(Buffer.from(frame.buffer, frame.start, frame.end - frame.start));
      const set = heron.proto.system.HeronTupleSet.decode(parsed!.payload);
      const record = (ack: heron.proto.system.IAckTuple) => [Number(ack.ackedtuple), ...(ack.roots ?? []).flatMap((r) => [r.taskid, Number(r.key)])];
      if (set.control) return { acks: (set.control.acks ?? []).map(record), fails: (set.control.fails ?? []).map(record) };
      return { data: set.data!.tuples!.map((t) => ({ values: t.values!.map((v) => serializer.deserialize(v)), roots: (t.roots ?? []).flatMap((r) => [r.taskid, Number(r.key)]) })) };
    });
  return { emitter, grouping, sent, tuples, out, wire };
}

describe('Emitter', () => {
  it('refuses what the topology does not allow, naming the component, task and stream', () => {
    const { emitter, grouping } = setup();
    const refusals: Array<[() => void, RegExp]> = [
      [() => emitter.emit([1, 2], 'nope'), /^component 's' task 1: cannot emit on stream 'nope': component 's' declares no stream 'nope' \(declared: 'default', 'd', 'c'\)$/],
      [() => emitter.emit([1], 'd'), /stream 'd' is direct: emit on it with emitDirect/],
      [() => emitter.emitDirect(2, [1, 2], 'default'), /stream 'default' is not direct/],
      [() => emitter.emitDirect(4, [1], 'd'), /task 4 is not a task of a direct subscriber of stream 'd' \(tasks: 2, 3\)/],
      [() => emitter.emit([1], 'default'), /1 values for the 2 fields of stream 'default' \(a, b\)/],
      [() => emitter.emit('ab' as unknown as unknown[], 'default'), /values must be an array, not string/],
      [() => emitter.emit([1, Symbol('q')], 'default'), /field 'b' of stream 'default': a symbol \(q\) cannot be serialized/],
    ];
    for (const [emit, message] of refusals) assert.throws(emit, (error: Error & { code?: string }) => error.code === 'INSTANCE_EMIT_INVALID' && message.test(error.message));
    grouping.choice = () => [9];
    assert.throws(() => emitter.emit([1], 'c'), /the custom grouping of 'k' chose task 9, which is not one of its tasks \(2, 3\)/);
    assert.equal(emitter.emitted, 0);
  });

  it('keeps the frame intact after a refused value, and sends tuples with their destinations', () => {
    const { emitter, grouping, tuples } = setup();
    emitter.emit(['x', 1], 'default');
    assert.throws(() => emitter.emit(['y', () => 0], 'default'));
    emitter.emitDirect(3, [7], 'd');
    grouping.choice = (targets) => targets;
    emitter.emit([8], 'c');
    emitter.flushAll();
    assert.deepEqual(tuples(), [
      { stream: 'default', values: ['x', 1], dests: [] },
      { stream: 'd', values: [7], dests: [3] },
      { stream: 'c', values: [8], dests: [2, 3] },
    ]);
  });

  it('sends a frame once it holds emit.batch.bytes, and frames older than emit.batch.ms on flushAged', () => {
    const { emitter, sent, tuples } = setup({ batchBytes: 200 });
    emitter.now = 100;
    for (let i = 0; i < 25; i++) emitter.emit(['word', i], 'default');
    assert.ok(sent.length >= 1, 'full frames are sent');
    const full = sent.length;
    emitter.now = 104;
    emitter.emitDirect(2, [1], 'd');
    assert.equal(emitter.flushAged(104), 105, 'nothing due yet; the default frame (opened at 100) is due at 105');
    assert.equal(sent.length, full);
    assert.equal(emitter.flushAged(106), 109, 'the default frame went; the direct one is due at 109');
    assert.equal(sent.length, full + 1);
    assert.equal(emitter.flushAged(110), -1);
    assert.equal(tuples().length, 26);
    emitter.close();
  });

  it('writes the roots it is given, and counts emits per stream', () => {
    const { emitter, wire } = setup();
    const route = emitter.emit(['x', 1], 'default', [9, 9, 1, 5, 0, 2, 7, 0], 2, 8);
    emitter.emitDirect(3, [2], 'd');
    emitter.emit(['y', 2], 'default');
    emitter.flushAll();
    assert.deepEqual(wire(), [
      { data: [{ values: ['x', 1], roots: [1, 5, 2, 7] }, { values: ['y', 2], roots: [] }] },
      { data: [{ values: [2], roots: [] }] },
    ]);
    assert.equal(route.stats.emitCount, 2);
  });

  it('sends acks and fails in a control frame, always after the open data frames, on flushAll, age and size', () => {
    const { emitter, sent, wire } = setup({ batchBytes: 200 });
    emitter.now = 100;
    emitter.emit(['anchored', 1], 'default', [1, 5, 0], 0, 3);
    emitter.settle(ACKS_TAG, [10, 0, 1, 5, 0]);
    emitter.emit(['also'], 'c', [1, 5, 0], 0, 3);
    assert.equal(sent.length, 0, 'batched');
    emitter.flushAll();
    const first = wire();
    assert.equal(first.length, 3);
    assert.deepEqual(first[2], { acks: [[10, 1, 5]], fails: [] }, 'the control frame goes last');
    assert.equal(emitter.hasPending, false);

    emitter.now = 200;
    emitter.settle(FAILS_TAG, [11, 0, 1, 6, 0]);
    assert.equal(emitter.hasPending, true);
    assert.equal(emitter.flushAged(204), 205, 'the control frame is due at 205');
    assert.equal(sent.length, 3);
    emitter.emit(['late', 3], 'default');
    assert.equal(emitter.flushAged(206), -1, 'the control frame went, and the data frame, not yet due, before it');
    assert.deepEqual(wire().slice(3), [{ data: [{ values: ['late', 3], roots: [] }] }, { acks: [], fails: [[11, 1, 6]] }]);
    assert.equal(emitter.flushAged(300), -1, 'nothing left');

    for (let i = 0; i < 20; i++) emitter.settle(ACKS_TAG, [i, 0, 1, i, 0]);
    assert.ok(sent.length > 5, 'full control frames are sent');
    emitter.flushAll();
    const acked = wire()
      .slice(5)
      .flatMap((frame) => ('acks' in frame ? frame.acks! : []));
    assert.deepEqual(
      acked.map((record) => record[0]),
      Array.from({ length: 20 }, (_, i) => i),
    );
    emitter.close();
  });

  it('gives a tuple that overfills a frame a frame of its own, and refuses one larger than any frame', () => {
    const { emitter, sent, tuples } = setup({ maxFrameBytes: 400, batchBytes: 10_000 });
    emitter.emit(['a'.repeat(150), 1], 'default');
    emitter.emit(['b'.repeat(150), 2], 'default');
    assert.equal(sent.length, 1, 'the first frame went out to make room');
    assert.throws(() => emitter.emit(['c'.repeat(500), 3], 'default'), /a tuple of \d+ bytes does not fit in a frame of at most 400 bytes/);
    emitter.flushAll();
    assert.deepEqual(
      tuples().map((t) => t.values[1]),
      [1, 2],
    );
    emitter.close();
  });
});

describe('SpoutRunner batching', () => {
  it('sends what it batched once the spout goes idle, not at the batch age', async () => {
    const { emitter, out, sent, tuples } = setup({ batchMs: 60_000 });
    let left = 3;
    const spout = {
      declareOutputFields: () => undefined,
      open: () => undefined,
      nextTuple: () => {
        if (left > 0) emitter.emit(['w', left--], 'default');
      },
    };
    const runner = new SpoutRunner(spout, emitter, out, (error) => assert.fail(String(error)));
    runner.setActive(true);
    const deadline = Date.now() + 2000;
    while (sent.length === 0 && Date.now() < deadline) await sleep(5);
    const values = tuples().map((t) => t.values);
    await runner.stop();
    assert.deepEqual(values, [['w', 3], ['w', 2], ['w', 1]], 'sent while running, long before the 60 s batch age');
  });
});
