import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import { buildPackageOf, writeTinyTopology } from '../../test/helpers/package-fixture.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { readTopologyPackage, unpackTopologyPackage } from './package-reader.js';
import { readTar } from './tar-reader.js';
import { type TarFile, writeTar } from './tar-writer.js';

describe('bad topology packages', () => {
  const dir = tempDir();
  let good: Map<string, Buffer>;

  before(async () => {
    const built = await buildPackageOf(writeTinyTopology(join(dir, 'src')), join(dir, 'good.tar.gz'));
    good = new Map(readTar(gunzipSync(readFileSync(built.file))).map((e) => [e.name, e.data]));
  });

  /** A package built from the good one's entries, changed by `edit`; returns its path. */
  function variant(name: string, edit: (entries: Map<string, Buffer>) => void): string {
    const entries = new Map(good);
    edit(entries);
    const files: TarFile[] = [...entries].map(([entry, data]) => ({ name: entry, data }));
    const file = join(dir, `${name}.tar.gz`);
    writeFileSync(file, gzipSync(writeTar(files)));
    return file;
  }

  const manifestWith = (change: Record<string, unknown>) => (entries: Map<string, Buffer>) => {
    const manifest = JSON.parse((entries.get('egret-package.json') as Buffer).toString()) as Record<string, unknown>;
    entries.set('egret-package.json', Buffer.from(JSON.stringify({ ...manifest, ...change })));
  };

  const cases: ReadonlyArray<[string, (entries: Map<string, Buffer>) => void, string, RegExp]> = [
    ['no-manifest', (e) => e.delete('egret-package.json'), 'PACKAGE_MISSING_ENTRY', /entry 'egret-package\.json' is missing/],
    ['no-module', (e) => e.delete('topology.mjs'), 'PACKAGE_MISSING_ENTRY', /entry 'topology\.mjs' is missing/],
    ['no-definition', (e) => e.delete('topology.defn'), 'PACKAGE_MISSING_ENTRY', /entry 'topology\.defn' is missing/],
    ['no-config', (e) => e.delete('config.json'), 'PACKAGE_MISSING_ENTRY', /entry 'config\.json' is missing/],
    ['extra', (e) => e.set('notes.txt', Buffer.from('hi')), 'PACKAGE_UNEXPECTED_ENTRY', /unexpected entry 'notes\.txt'/],
    ['manifest-not-json', (e) => e.set('egret-package.json', Buffer.from('{ format: 1')), 'PACKAGE_BAD_MANIFEST', /egret-package\.json is not JSON/],
    ['manifest-array', (e) => e.set('egret-package.json', Buffer.from('[1]')), 'PACKAGE_BAD_MANIFEST', /must hold a JSON object/],
    ['format-2', manifestWith({ format: 2 }), 'PACKAGE_UNSUPPORTED_FORMAT', /has format 2; this Egret reads package format 1/],
    ['format-missing', manifestWith({ format: undefined }), 'PACKAGE_UNSUPPORTED_FORMAT', /has no format field/],
    ['no-topology-id', manifestWith({ topologyId: undefined }), 'PACKAGE_BAD_MANIFEST', /egret-package\.json: topologyId: expected the topology id/],
    ['bad-module-name', manifestWith({ module: '../evil.mjs' }), 'PACKAGE_BAD_MANIFEST', /module: expected the plain name of a \.mjs entry/],
    ['definition-garbage', (e) => e.set('topology.defn', Buffer.from([0xff, 0xff, 0xff])), 'PACKAGE_BAD_ENTRY', /entry 'topology\.defn' does not decode/],
    ['other-topology', manifestWith({ topologyId: 'someone-else' }), 'PACKAGE_BAD_ENTRY', /entry 'topology\.defn' describes topology 'tiny' \(id tiny-0123\), the manifest 'tiny' \(id someone-else\)/],
    ['config-list', (e) => e.set('config.json', Buffer.from('[]')), 'PACKAGE_BAD_ENTRY', /entry 'config\.json' must hold one JSON object/],
    ['empty-module', (e) => e.set('topology.mjs', Buffer.alloc(0)), 'PACKAGE_BAD_ENTRY', /entry 'topology\.mjs' is empty/],
  ];

  for (const [name, edit, code, message] of cases) {
    it(`${name}: ${code}, and nothing is unpacked`, async () => {
      const file = variant(name, edit);
      const target = join(dir, `out-${name}`);
      await assert.rejects(unpackTopologyPackage(file, target), (error: unknown) => {
        assert.equal((error as { code?: string }).code, code);
        assert.match((error as Error).message, message);
        assert.match((error as Error).message, new RegExp(`${name}\\.tar\\.gz`), 'the message names the package');
        return true;
      });
      assert.equal(existsSync(target), false);
    });
  }

  it('not gzip, gzip but not tar, truncated gzip: PACKAGE_NOT_A_TARBALL', async () => {
    const plain = join(dir, 'plain.tar.gz');
    writeFileSync(plain, 'just text');
    await assert.rejects(unpackTopologyPackage(plain, join(dir, 'x')), { code: 'PACKAGE_NOT_A_TARBALL', message: /plain\.tar\.gz: is not a gzipped tarball/ });
    const notTar = join(dir, 'not-tar.tar.gz');
    writeFileSync(notTar, gzipSync(Buffer.alloc(2048, 'z')));
    await assert.rejects(unpackTopologyPackage(notTar, join(dir, 'x')), { code: 'PACKAGE_NOT_A_TARBALL', message: /not-tar\.tar\.gz: is not a valid tarball: .*bad checksum/ });
    const truncated = join(dir, 'truncated.tar.gz');
    const whole = readFileSync(join(dir, 'good.tar.gz'));
    writeFileSync(truncated, whole.subarray(0, whole.length >> 1));
    await assert.rejects(unpackTopologyPackage(truncated, join(dir, 'x')), { code: 'PACKAGE_NOT_A_TARBALL', message: /corrupt or truncated/ });
    await assert.rejects(unpackTopologyPackage(join(dir, 'absent.tar.gz'), join(dir, 'x')), { code: 'PACKAGE_IO', message: /absent\.tar\.gz: cannot be read/ });
    assert.equal(existsSync(join(dir, 'x')), false);
  });

  it('readTopologyPackage names the missing entry of an unpacked directory', async () => {
    const target = join(dir, 'unpacked');
    await unpackTopologyPackage(join(dir, 'good.tar.gz'), target);
    rmSync(join(target, 'config.json'));
    await assert.rejects(readTopologyPackage(target), { code: 'PACKAGE_MISSING_ENTRY', message: /unpacked: entry 'config\.json' is missing/ });
  });
});
