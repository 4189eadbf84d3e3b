// Storm's exclamation topology: words from a small list, and two bolts in a row that each append "!!!".
//
//   egret submit local examples/exclamation/exclamation-topology.ts
import { type Bolt, type BoltOutputCollector, type OutputFieldsDeclarer, type Spout, type SpoutOutputCollector, type TopologyContext, type Tuple, TopologyBuilder } from 'egret';

const WORDS = ['nathan', 'mike', 'jackson', 'golda', 'bertels'];

export class TestWordSpout implements Spout {
  private collector?: SpoutOutputCollector;

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word']);
  }

  open(_context: TopologyContext, collector: SpoutOutputCollector): void {
    this.collector = collector;
  }

  async nextTuple(): Promise<void> {
    // As Storm's TestWordSpout, a word every 100 ms: the point is to watch it work, not to measure it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    this.collector?.emit([WORDS[Math.floor(Math.random() * WORDS.length)]]);
  }
}

export class ExclamationBolt implements Bolt {
  private collector?: BoltOutputCollector;

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word']);
  }

  prepare(_context: TopologyContext, collector: BoltOutputCollector): void {
    this.collector = collector;
  }

  execute(tuple: Tuple): void {
    this.collector?.emit([`${String(tuple.getValue(0))}!!!`], { anchors: tuple });
    this.collector?.ack(tuple);
  }
}

const builder = new TopologyBuilder();
builder.setSpout('word', () => new TestWordSpout(), 10);
builder.setBolt('exclaim1', () => new ExclamationBolt(), 3).shuffleGrouping('word');
builder.setBolt('exclaim2', () => new ExclamationBolt(), 2).shuffleGrouping('exclaim1');

export default builder.build('exclamation', { 'topology.stmgrs': 2, 'topology.debug': true });
