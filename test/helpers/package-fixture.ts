import { join } from 'node:path';
import type { ConfigValue } from '../../api/config-value.js';
import { buildTopologyPackage, type BuiltTopologyPackage } from '../../core/package/package-builder.js';
import { loadTopology } from '../../core/topology/topology-loader.js';
import { writeFiles } from './temp-dir.js';

/**
 * A small runnable topology module (spout ×`args[0]` → bolt ×2, shuffle) with a relative import, as a user would
 * write it: its default export is a function of the command-line words.
 */
export const TINY_TOPOLOGY_FILES: Readonly<Record<string, string>> = {
  'words.ts': "export const WORDS: readonly string[] = ['egret', 'heron'];\n",
  'tiny-topology.ts': `import { TopologyBuilder, type Bolt, type Spout } from 'egret';
import { WORDS } from './words.js';
class WordSpout implements Spout {
  private next = 0;
  declareOutputFields(d: { declare(f: readonly string[]): void }) { d.declare(['word']); }
  open() {}
  nextTuple() { this.next = (this.next + 1) % WORDS.length; }
}
const sink: Bolt = { execute() {} };
export default ({ args }: { args: readonly string[] }) => {
  const builder = new TopologyBuilder();
  builder.setSpout('words', () => new WordSpout(), Number(args[0] ?? 2));
  builder.setBolt('sink', sink, 2).shuffleGrouping('words');
  return builder.build('tiny', { 'topology.stmgrs': 2 });
};
`,
};

/** Writes the tiny topology project into `dir` and returns the module's path. */
export function writeTinyTopology(dir: string): string {
  writeFiles(dir, TINY_TOPOLOGY_FILES);
  return join(dir, 'tiny-topology.ts');
}

/** Loads the module at `topologyFile` and builds its package at `output`, with a fixed runtime (cluster local). */
export async function buildPackageOf(
  topologyFile: string,
  output: string,
  options: { args?: readonly string[]; config?: Readonly<Record<string, ConfigValue>>; topologyId?: string } = {},
): Promise<BuiltTopologyPackage> {
  const args = options.args ?? [];
  const loaded = await loadTopology(topologyFile, { args, config: options.config ?? {} });
  const name = loaded.topology.name;
  return buildTopologyPackage({
    topologyFile,
    topology: loaded.topology,
    runtime: { topologyName: name, topologyId: options.topologyId ?? `${name}-0123`, cluster: 'local', role: 'tester', environment: 'test' },
    config: { ...loaded.topology.config, ...options.config },
    topologyArgs: args,
    output,
  });
}
