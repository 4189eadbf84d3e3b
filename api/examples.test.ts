// Loads the real example topologies: each is bundled with esbuild, `egret` aliased to this repository's API
// source (the examples are not part of the main build), and imported like `egret submit` would.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Bolt } from './bolt.js';
import type { BoltEmitOptions, BoltOutputCollector, SpoutEmitOptions, SpoutOutputCollector } from './output-collector.js';
import type { Spout } from './spout.js';
import type { TopologyContext } from './topology-context.js';
import type { TopologyDefinition } from './topology-definition.js';
import { isTopologyDefinition, type TopologyModuleExport } from './topology-module.js';
import type { Tuple } from './tuple.js';
import { validateTopology } from './topology-validation.js';

// This file runs from dist/api/; the sources are two levels up.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let outDir = '';

interface ExampleModule {
  readonly default: TopologyModuleExport;
  readonly [name: string]: unknown;
}

async function loadExample(relativePath: string): Promise<ExampleModule> {
  const outfile = join(outDir, `${relativePath.replace(/[/.]/g, '-')}.mjs`);
  await build({
    entryPoints: [join(root, relativePath)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    alias: { egret: join(root, 'api', 'index.ts') },
    logLevel: 'silent',
  });
  return (await import(pathToFileURL(outfile).href)) as ExampleModule;
}

async function topologyOf(exported: TopologyModuleExport, args: readonly string[] = []): Promise<TopologyDefinition> {
  const topology = typeof exported === 'function' ? await exported({ args, config: {} }) : exported;
  assert.ok(isTopologyDefinition(topology));
  assert.deepEqual(validateTopology(topology), []);
  return topology;
}

const context = (componentName: string): TopologyContext => ({
  topologyName: 't',
  topologyId: 't-1',
  taskId: 1,
  componentName,
  componentIndex: 0,
  config: {},
  componentTasks: () => [],
  outputFields: () => ['word'],
});

const tuple = (values: readonly unknown[]): Tuple => ({
  sourceComponent: 'word',
  sourceTask: 1,
  sourceStream: 'default',
  fields: ['word'],
  values,
  getValue: (i) => values[i],
  getValueByField: () => values[0],
  contains: (field) => field === 'word',
  isTick: () => false,
});

function recordingCollector() {
  const emitted: unknown[][] = [];
  const acked: Tuple[] = [];
  const anchors: unknown[] = [];
  const collector: SpoutOutputCollector & BoltOutputCollector = {
    emit: (values: readonly unknown[], options?: SpoutEmitOptions | BoltEmitOptions) => {
      emitted.push([...values]);
      anchors.push(options !== undefined && 'anchors' in options ? options.anchors : undefined);
    },
    emitDirect: () => assert.fail('no direct emits expected'),
    reportError: (error) => assert.fail(error),
    ack: (t) => void acked.push(t),
    fail: () => assert.fail('no fails expected'),
  };
  return { collector, emitted, acked, anchors };
}

describe('examples', () => {
  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'egret-examples-'));
  });
  after(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  describe('word-count', () => {
    let module: ExampleModule;
    let exported: TopologyModuleExport;
    before(async () => {
      module = await loadExample('examples/word-count/word-count-topology.ts');
      exported = module.default;
    });

    it('is a function of the module context with parallelism 2 by default', async () => {
      assert.equal(typeof exported, 'function');
      const topology = await topologyOf(exported);
      assert.equal(topology.name, 'word-count');
      assert.deepEqual(
        [...topology.spouts, ...topology.bolts].map((c) => [c.kind, c.name, c.parallelism]),
        [
          ['spout', 'word', 2],
          ['bolt', 'count', 2],
        ],
      );
      assert.deepEqual(topology.spouts[0]?.outputs, [{ id: 'default', fields: ['word'], direct: false }]);
      assert.deepEqual(topology.bolts[0]?.inputs, [{ component: 'word', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }]);
      assert.equal(topology.config['topology.stmgrs'], 2);
    });

    it('takes the parallelism of both components from args[0]', async () => {
      const topology = await topologyOf(exported, ['5']);
      assert.deepEqual([topology.spouts[0]?.parallelism, topology.bolts[0]?.parallelism], [5, 5]);
    });

    for (const bad of ['0', '-2', '1.5', 'many', '']) {
      it(`rejects parallelism '${bad}' with a clear message`, async () => {
        await assert.rejects(async () => topologyOf(exported, [bad]), new RegExp(`parallelism .* must be a whole number >= 1, got '${bad}'`));
      });
    }

    it('emits 20-letter words picked at random from its pool', async () => {
      const topology = await topologyOf(exported);
      const spout = topology.spouts[0]?.factory?.() as Spout;
      const { collector, emitted } = recordingCollector();
      await spout.open(context('word'), collector);
      for (let i = 0; i < 200; i++) await spout.nextTuple();
      assert.equal(emitted.length, 200);
      assert.ok(emitted.every(([word]) => /^[a-z]{20}$/.test(String(word))));
      assert.ok(new Set(emitted.map(([word]) => word)).size > 150, 'words are drawn from a large pool');
    });

    it('builds the same pool of 128 × 1024 words every time, so every process has the same one', () => {
      const wordPool = module.wordPool as () => string[];
      const first = wordPool();
      assert.equal(first.length, 128 * 1024);
      assert.ok(first.every((word) => /^[a-z]{20}$/.test(word)));
      assert.deepEqual(wordPool(), first);
    });

    it('counts words in a Map and acks each tuple', async () => {
      const topology = await topologyOf(exported);
      const bolt = topology.bolts[0]?.factory?.() as Bolt & { counts: Map<string, number> };
      const { collector, acked } = recordingCollector();
      await bolt.prepare?.(context('count'), collector);
      for (const word of ['a', 'b', 'a']) await bolt.execute(tuple([word]));
      assert.deepEqual([...bolt.counts], [
        ['a', 2],
        ['b', 1],
      ]);
      assert.equal(acked.length, 3);
    });
  });

  describe('exclamation', () => {
    let exported: TopologyModuleExport;
    before(async () => {
      exported = (await loadExample('examples/exclamation/exclamation-topology.ts')).default;
    });

    it('exports the built topology: word -> exclaim1 -> exclaim2, shuffle grouped', async () => {
      assert.notEqual(typeof exported, 'function');
      const topology = await topologyOf(exported);
      assert.equal(topology.name, 'exclamation');
      assert.deepEqual(
        topology.bolts.map((b) => [b.name, b.inputs]),
        [
          ['exclaim1', [{ component: 'word', stream: 'default', grouping: { type: 'shuffle' } }]],
          ['exclaim2', [{ component: 'exclaim1', stream: 'default', grouping: { type: 'shuffle' } }]],
        ],
      );
    });

    it('appends "!!!" and acks, anchored to the input', async () => {
      const topology = await topologyOf(exported);
      const bolt = topology.bolts[0]?.factory?.() as Bolt;
      const { collector, emitted, acked, anchors } = recordingCollector();
      await bolt.prepare?.(context('exclaim1'), collector);
      const input = tuple(['golda']);
      await bolt.execute(input);
      assert.deepEqual(emitted, [['golda!!!']]);
      assert.deepEqual(anchors, [input]);
      assert.deepEqual(acked, [input]);
    });
  });
});
