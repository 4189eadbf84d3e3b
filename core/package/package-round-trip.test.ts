import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { isTopologyDefinition } from '../../api/topology-module.js';
import { egretVersion } from '../cli/commands/version-command.js';
import { topologyFromProto } from '../proto/index.js';
import { buildPackageOf, writeTinyTopology } from '../../test/helpers/package-fixture.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { buildTopologyPackage } from './package-builder.js';
import { readTopologyPackage, unpackTopologyPackage } from './package-reader.js';
import { loadTopology } from '../topology/topology-loader.js';

describe('topology package round trip', () => {
  it('builds a gzipped tarball that unpacks to the manifest, a runnable module, the definition and the config', async () => {
    const dir = tempDir();
    const file = writeTinyTopology(join(dir, 'src'));
    const built = await buildPackageOf(file, join(dir, 'tiny.tar.gz'), { args: ['3'], config: { 'egret.statemgr': 'localfs', 'topology.debug': true } });
    assert.equal(built.bytes, readFileSync(built.file).length);
    assert.deepEqual([...readFileSync(built.file).subarray(0, 2)], [0x1f, 0x8b]);
    assert.deepEqual(readdirSync(dir).sort(), ['src', 'tiny.tar.gz'], 'no staging file is left');

    const unpacked = await unpackTopologyPackage(built.file, join(dir, 'work', 'package'));
    assert.deepEqual(readdirSync(unpacked.dir).sort(), ['config.json', 'egret-package.json', 'topology.defn', 'topology.mjs']);
    assert.deepEqual(unpacked.manifest, {
      format: 1,
      topologyName: 'tiny',
      topologyId: 'tiny-0123',
      cluster: 'local',
      role: 'tester',
      environment: 'test',
      egretVersion: egretVersion(),
      module: 'topology.mjs',
      topologyArgs: ['3'],
    });
    assert.equal(unpacked.config['egret.statemgr'], 'localfs');
    assert.equal(unpacked.config['topology.debug'], true);
    assert.equal(unpacked.config['topology.stmgrs'], 2);

    const definition = topologyFromProto(unpacked.topology);
    assert.equal(definition.name, 'tiny');
    assert.deepEqual(
      definition.spouts.map((s) => [s.name, s.parallelism]),
      [['words', 3]],
    );
    assert.deepEqual(
      definition.bolts.map((b) => [b.name, b.parallelism, b.inputs[0]?.component]),
      [['sink', 2, 'words']],
    );

    // The source tree is gone from the module's point of view: the bundle carries its relative imports.
    const module = (await import(pathToFileURL(unpacked.modulePath).href)) as { default: (c: { args: readonly string[]; config: object }) => unknown };
    const rebuilt = module.default({ args: unpacked.manifest.topologyArgs ?? [], config: unpacked.config });
    assert.ok(isTopologyDefinition(rebuilt));
    assert.equal(rebuilt.spouts[0]?.parallelism, 3);
    assert.equal(typeof rebuilt.spouts[0]?.factory, 'function');

    const reread = await readTopologyPackage(unpacked.dir);
    assert.deepEqual(reread.manifest, unpacked.manifest);
    assert.deepEqual(reread.config, unpacked.config);
  });

  it('replaces a package already unpacked in the directory', async () => {
    const dir = tempDir();
    const file = writeTinyTopology(join(dir, 'src'));
    const first = await buildPackageOf(file, join(dir, 'one.tar.gz'), { topologyId: 'tiny-1' });
    const second = await buildPackageOf(file, join(dir, 'two.tar.gz'), { topologyId: 'tiny-2' });
    const target = join(dir, 'package');
    await unpackTopologyPackage(first.file, target);
    writeFileSync(join(target, 'leftover'), 'x');
    const unpacked = await unpackTopologyPackage(second.file, target);
    assert.equal(unpacked.manifest.topologyId, 'tiny-2');
    assert.deepEqual(readdirSync(target).sort(), ['config.json', 'egret-package.json', 'topology.defn', 'topology.mjs']);
    assert.deepEqual(readdirSync(dir).sort(), ['one.tar.gz', 'package', 'src', 'two.tar.gz']);
  });

  it('refuses a spec topology, which names no code to run', async () => {
    const dir = tempDir({
      't.json': JSON.stringify({ name: 't', spouts: [{ name: 's', outputs: { default: ['w'] } }], bolts: [{ name: 'b', inputs: [{ component: 's' }] }] }),
    });
    const loaded = await loadTopology(join(dir, 't.json'));
    await assert.rejects(
      buildTopologyPackage({
        topologyFile: join(dir, 't.json'),
        topology: loaded.topology,
        runtime: { topologyName: 't', topologyId: 't-1', cluster: 'local', role: 'r', environment: 'e' },
        config: {},
        output: join(dir, 't.tar.gz'),
      }),
      { code: 'PACKAGE_NOT_RUNNABLE', message: /t\.json cannot be packaged to run: a spec file names no code/ },
    );
    assert.deepEqual(readdirSync(dir), ['t.json']);
  });

  it('fails with PACKAGE_IO naming the output when its directory does not exist', async () => {
    const dir = tempDir();
    const file = writeTinyTopology(dir);
    await assert.rejects(buildPackageOf(file, join(dir, 'missing', 'tiny.tar.gz')), { code: 'PACKAGE_IO', message: /missing\/tiny\.tar\.gz/ });
  });
});
