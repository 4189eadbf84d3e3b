/**
 * The topology module the instance tests run (as source: each test packages it as `egret submit` would). The spout
 * `numbers` emits 0, 1, 2, ... in the way `test.spout.mode` says, reports its lifecycle on stream `lifecycle`, and
 * writes how far it counted to `test.progress.file` (so a test can see whether nextTuple is being called); it stops
 * at `test.spout.limit` tuples and emits at most one per `test.spout.interval.ms` when set. It reports the message
 * ids it is acked and failed on streams `acks` and `fails`; in mode `tracked` it emits every third number untracked
 * on `default` and the others with their number as message id on `tracked`, with the count of its message ids in
 * flight (its own view of them); with `test.spout.replay` it emits a failed message id again. The bolt `sink` (two
 * tasks) reports every tuple it executes on stream `seen`, anchored to it, and acks it; it throws on the value
 * 'boom', fails 'fail-me', reports 'report-me' as an error, holds 'hold' and emits 'join' anchored to it and to every
 * tuple held.
 */
export const TEST_TOPOLOGY_SOURCE = `
import { writeFileSync } from 'node:fs';
import {
  TopologyBuilder,
  type Bolt,
  type BoltOutputCollector,
  type CustomStreamGrouping,
  type OutputFieldsDeclarer,
  type Spout,
  type SpoutOutputCollector,
  type TopologyContext,
  type Tuple,
} from 'egret';

class NumberSpout implements Spout {
  private n = 0;
  private collector!: SpoutOutputCollector;
  private context!: TopologyContext;
  private mode = 'count';
  private limit = -1;
  private interval = 0;
  private last = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight = 0;
  private replay = false;

  declareOutputFields(d: OutputFieldsDeclarer): void {
    d.declare(['n']);
    d.declareStream('lifecycle', ['event']);
    d.declareStream('direct', ['n'], { direct: true });
    d.declareStream('custom', ['n']);
    d.declareStream('acks', ['id']);
    d.declareStream('fails', ['id']);
    d.declareStream('tracked', ['n', 'inflight']);
    d.declareStream('big', ['payload']);
  }

  open(context: TopologyContext, collector: SpoutOutputCollector): void {
    this.context = context;
    this.collector = collector;
    this.mode = String(context.config['test.spout.mode'] ?? 'count');
    this.limit = Number(context.config['test.spout.limit'] ?? -1);
    this.interval = Number(context.config['test.spout.interval.ms'] ?? 0);
    this.replay = context.config['test.spout.replay'] === true;
    const progress = context.config['test.progress.file'];
    if (typeof progress === 'string') this.timer = setInterval(() => writeFileSync(progress, String(this.n)), 10);
    collector.emit(['open:' + context.componentName + ':' + context.taskId + ':' + context.componentTasks('sink').join(',')], { stream: 'lifecycle' });
  }

  activate(): void {
    this.collector.emit(['activate'], { stream: 'lifecycle' });
  }

  deactivate(): void {
    this.collector.emit(['deactivate'], { stream: 'lifecycle' });
  }

  close(): void {
    clearInterval(this.timer);
    this.collector.emit(['close'], { stream: 'lifecycle' });
  }

  nextTuple(): void {
    if (this.limit >= 0 && this.n >= this.limit) return;
    if (this.interval > 0) {
      if (Date.now() - this.last < this.interval) return;
      this.last = Date.now();
    }
    const n = this.n++;
    const sinks = this.context.componentTasks('sink');
    switch (this.mode) {
      case 'count':
        this.collector.emit([n]);
        return;
      case 'message-ids':
        this.collector.emit([n], { messageId: 'm' + n });
        return;
      case 'tracked':
        if (n % 3 === 0) this.collector.emit([n]);
        else this.collector.emit([n, ++this.inFlight], { stream: 'tracked', messageId: n });
        return;
      case 'direct':
        this.collector.emitDirect(sinks[n % sinks.length]!, [n], { stream: 'direct' });
        return;
      case 'custom':
        this.collector.emit([n], { stream: 'custom' });
        return;
      case 'bad-direct':
        this.collector.emitDirect(9999, [n], { stream: 'direct' });
        return;
      case 'unserializable':
        this.collector.emit([{ at: n, callback: () => n }]);
        return;
      case 'big':
        this.collector.emit([Buffer.alloc(200_000, n % 256)], { stream: 'big' });
        return;
      case 'throw':
        if (n === 5) throw new Error('spout exploded at 5');
        this.collector.emit([n]);
        return;
      default:
        throw new Error('unknown test.spout.mode ' + this.mode);
    }
  }

  ack(messageId: unknown): void {
    if (this.mode === 'tracked') this.inFlight--;
    this.collector.emit([messageId], { stream: 'acks' });
  }

  fail(messageId: unknown): void {
    if (this.mode === 'tracked') this.inFlight--;
    this.collector.emit([messageId], { stream: 'fails' });
    if (this.replay) this.collector.emit([messageId, ++this.inFlight], { stream: 'tracked', messageId });
  }
}

class ModuloGrouping implements CustomStreamGrouping {
  private targets: readonly number[] = [];
  prepare(_context: TopologyContext, _stream: unknown, targets: readonly number[]): void {
    this.targets = targets;
  }
  chooseTasks(values: readonly unknown[]): readonly number[] {
    const n = values[0] as number;
    // Every third tuple goes nowhere; the others to one task, or to every task for multiples of 5.
    if (n % 3 === 2) return [];
    return n % 5 === 0 ? this.targets : [this.targets[n % this.targets.length]!];
  }
}

class EchoBolt implements Bolt {
  private collector!: BoltOutputCollector;
  private held: Tuple[] = [];

  declareOutputFields(d: OutputFieldsDeclarer): void {
    d.declareStream('seen', ['component', 'stream', 'task', 'values', 'tick']);
    d.declareStream('lifecycle', ['event']);
  }

  prepare(context: TopologyContext, collector: BoltOutputCollector): void {
    this.collector = collector;
    collector.emit(['prepare:' + context.componentName + ':' + context.componentIndex], { stream: 'lifecycle' });
  }

  execute(tuple: Tuple): void {
    const value = tuple.values[0];
    if (value === 'boom') throw new Error('boom in execute');
    if (value === 'fail-me') {
      this.collector.fail(tuple);
      return;
    }
    if (value === 'report-me') this.collector.reportError(new Error('reported by the bolt'));
    if (value === 'hold') {
      this.held.push(tuple);
      return;
    }
    if (value === 'join') {
      const anchors = [...this.held, tuple];
      this.held = [];
      this.collector.emit([tuple.sourceComponent, tuple.sourceStream, tuple.sourceTask, tuple.values, false], { stream: 'seen', anchors });
      for (const anchor of anchors) this.collector.ack(anchor);
      return;
    }
    if (!tuple.isTick() && tuple.getValueByField(tuple.fields[0]!) !== tuple.getValue(0)) throw new Error('field access disagrees');
    this.collector.emit([tuple.sourceComponent, tuple.sourceStream, tuple.sourceTask, tuple.values, tuple.isTick()], { stream: 'seen', anchors: tuple });
    this.collector.ack(tuple);
  }

  cleanup(): void {
    this.collector.emit(['cleanup'], { stream: 'lifecycle' });
  }
}

export default () => {
  const builder = new TopologyBuilder();
  builder.setSpout('numbers', () => new NumberSpout(), 1);
  builder
    .setBolt('sink', () => new EchoBolt(), 2)
    .shuffleGrouping('numbers')
    .directGrouping('numbers', 'direct')
    .customGrouping('numbers', new ModuloGrouping(), 'custom');
  return builder.build('instance-test');
};
`;
