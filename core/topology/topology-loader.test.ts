import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TopologyError } from '../../api/topology-error.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { loadTopology } from './topology-loader.js';

const SPEC_JSON = JSON.stringify({
  name: 't',
  spouts: [{ name: 'spout', parallelism: 4, ram: 2147483648, outputs: { default: ['word'] } }],
  bolts: [{ name: 'bolt', parallelism: 3, cpu: 2, inputs: [{ component: 'spout', stream: 'default', grouping: 'fields', fields: ['word'] }] }],
  config: { 'topology.stmgrs': 2, 'topology.container.max.instances': 4 },
});

/** A topology module project: a module using a relative import and the egret API, with a parallelism argument. */
function moduleProject(): string {
  return tempDir({
    'words.ts': "export const WORDS: readonly string[] = ['a', 'b'];\n",
    'topology.ts': `import { TopologyBuilder, type Spout, type Bolt } from 'egret';
import { WORDS } from './words.js';
class WordSpout implements Spout {
  declareOutputFields(d: { declare(f: readonly string[]): void }) { d.declare(['word']); }
  open() {}
  nextTuple() { void WORDS; }
}
const sink: Bolt = { execute() {} };
export default ({ args }: { args: readonly string[] }) => {
  const builder = new TopologyBuilder();
  builder.setSpout('words', () => new WordSpout(), Number(args[0] ?? 1));
  builder.setBolt('sink', sink, 2).shuffleGrouping('words');
  return builder.build('from-module', { 'topology.stmgrs': 2 });
};
`,
  });
}
describe('loadTopology', () => {
  it('reads the documented JSON spec form', async () => {
    const dir = tempDir({ 't.json': SPEC_JSON });
    const loaded = await loadTopology(join(dir, 't.json'));
    assert.equal(loaded.kind, 'spec');
    assert.equal(loaded.topology.name, 't');
    assert.equal(loaded.topology.spouts[0]?.resources.ram, 2147483648);
    assert.deepEqual(loaded.topology.bolts[0]?.inputs[0]?.grouping, { type: 'fields', fields: ['word'] });
  });

  it('reads a YAML spec with sizes like 2GiB', async () => {
    const dir = tempDir({
      't.yaml': 'name: t\nspouts:\n  - name: spout\n    ram: 2GiB\n    outputs: { default: [word] }\nbolts:\n  - name: bolt\n    inputs: [{ component: spout }]\n',
    });
    const { topology } = await loadTopology(join(dir, 't.yaml'));
    assert.equal(topology.spouts[0]?.resources.ram, 2 * 1024 ** 3);
    assert.deepEqual(topology.bolts[0]?.inputs[0], { component: 'spout', stream: 'default', grouping: { type: 'shuffle' } });
  });

  it('gives file, line and column for JSON and YAML syntax errors', async () => {
    const dir = tempDir({ 'bad.json': '{\n  "name": "t",\n  "spouts": [,]\n}\n', 'bad.yaml': 'name: t\nspouts: [\n' });
    await assert.rejects(loadTopology(join(dir, 'bad.json')), (e: TopologyError) => e.code === 'TOPOLOGY_LOAD_FAILED' && /bad\.json:3:\d+: invalid JSON/.test(e.message));
    await assert.rejects(loadTopology(join(dir, 'bad.yaml')), (e: TopologyError) => e.code === 'TOPOLOGY_LOAD_FAILED' && /bad\.yaml:\d+:\d+: invalid YAML/.test(e.message));
  });

  it('loads a TypeScript module with relative imports, passing it the arguments', async () => {
    const dir = moduleProject();
    const loaded = await loadTopology(join(dir, 'topology.ts'), { args: ['3'], config: {} });
    assert.equal(loaded.kind, 'module');
    assert.equal(loaded.topology.name, 'from-module');
    assert.equal(loaded.topology.spouts[0]?.parallelism, 3);
    assert.deepEqual(loaded.topology.spouts[0]?.outputs, [{ id: 'default', fields: ['word'], direct: false }]);
    assert.equal(typeof loaded.topology.spouts[0]?.factory, 'function');
  });

  it('leaves no bundle behind in the temporary directory', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('egret-topology-')).length;
    await loadTopology(join(moduleProject(), 'topology.ts'));
    assert.equal(readdirSync(tmpdir()).filter((f) => f.startsWith('egret-topology-')).length, before);
  });

  it('reports a syntax error in a module with its file, line and column', async () => {
    const dir = tempDir({ 'bad.ts': 'export default {\n  name: "x" +;\n};\n' });
    await assert.rejects(loadTopology(join(dir, 'bad.ts')), (e: TopologyError) => e.code === 'TOPOLOGY_LOAD_FAILED' && /bad\.ts:2:14: /.test(e.message));
  });

  it('reports an import that does not resolve', async () => {
    const dir = tempDir({ 't.ts': "import { x } from './missing.js';\nexport default x;\n" });
    await assert.rejects(loadTopology(join(dir, 't.ts')), (e: TopologyError) => e.code === 'TOPOLOGY_LOAD_FAILED' && /t\.ts:1:\d+: Could not resolve "\.\/missing\.js"/.test(e.message));
  });

  it('reports a module that throws while loading, at the line in the source file', async () => {
    const dir = tempDir({ 'throws.ts': "const x: { foo(): void } | undefined = undefined as never;\n\nx!.foo();\nexport default 1;\n" });
    await assert.rejects(loadTopology(join(dir, 'throws.ts')), (e: TopologyError) => e.code === 'TOPOLOGY_LOAD_FAILED' && /throws\.ts failed: .*\(at .*throws\.ts:3:\d+\)/.test(e.message));
  });

  it('reports a missing or wrong default export', async () => {
    const dir = tempDir({ 'none.ts': 'export const t = 1;\n', 'wrong.ts': 'export default { name: 1 };\n', 'fn.ts': 'export default () => 42;\n' });
    await assert.rejects(loadTopology(join(dir, 'none.ts')), /has no default export/);
    await assert.rejects(loadTopology(join(dir, 'wrong.ts')), /is not a topology/);
    await assert.rejects(loadTopology(join(dir, 'fn.ts')), /is not a topology/);
  });

  it('validates what a module returns even when it skipped the builder', async () => {
    const dir = tempDir({
      'handmade.ts': "export default { name: 'h', config: {}, spouts: [{ kind: 'spout', name: 's', parallelism: 0, resources: {}, outputs: [], config: {} }], bolts: [] };\n",
    });
    await assert.rejects(loadTopology(join(dir, 'handmade.ts')), (e: TopologyError) => e.code === 'TOPOLOGY_INVALID' && /'s'/.test(e.message) && /parallelism/.test(e.message));
  });

  it('fails for a missing file, a directory and an unknown extension', async () => {
    const dir = tempDir({ 't.txt': 'x' });
    await assert.rejects(loadTopology(join(dir, 'nope.ts')), { code: 'TOPOLOGY_FILE_NOT_FOUND', message: /does not exist/ });
    await assert.rejects(loadTopology(dir), { code: 'TOPOLOGY_FILE_NOT_FOUND', message: /is not a file/ });
    await assert.rejects(loadTopology(join(dir, 't.txt')), { code: 'TOPOLOGY_LOAD_FAILED', message: /expected a module/ });
  });
});
