// The word-count example, with its counting bolt reporting how many tuples it executed: what bench:throughput
// runs. The spout and the counting are the example's own classes; only the report is added (on tick tuples, so it
// costs nothing per tuple). Bundled by the harness like any topology module; not compiled by the main build.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BoltOutputCollector, type TopologyContext, type TopologyModuleContext, type Tuple, TopologyBuilder, TopologyConfigKeys } from 'egret';
import { CountBolt, WordSpout } from '../../examples/word-count/word-count-topology.js';

const REPORT_DIR = 'bench.report.dir';

class ReportingCountBolt extends CountBolt {
  private executed = 0;
  private file = '';

  override prepare(context: TopologyContext, collector: BoltOutputCollector): void {
    super.prepare(context, collector);
    this.file = join(String(context.config[REPORT_DIR]), `count-${context.taskId}.json`);
  }

  override execute(tuple: Tuple): void {
    if (tuple.isTick()) {
      // Written whole, then renamed: the benchmark never reads half a report.
      writeFileSync(`${this.file}.tmp`, JSON.stringify({ executed: this.executed, at: Date.now(), pid: process.pid }));
      renameSync(`${this.file}.tmp`, this.file);
      return;
    }
    this.executed++;
    super.execute(tuple);
  }
}

export default function wordCountReporting({ args, config }: TopologyModuleContext) {
  const parallelism = Number(args[0] ?? 1);
  const builder = new TopologyBuilder();
  builder.setSpout('word', () => new WordSpout(), parallelism);
  builder.setBolt('count', () => new ReportingCountBolt(), parallelism).fieldsGrouping('word', ['word']);
  return builder.build('word-count-bench', {
    [TopologyConfigKeys.TICK_TUPLE_FREQ_SECS]: 0.5,
    [REPORT_DIR]: String(config[REPORT_DIR] ?? '/tmp'),
  });
}
