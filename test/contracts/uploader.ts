import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerModule } from 'inversify';
import type { ConfigValue } from '../../api/config-value.js';
import type { DownloaderRegistry } from '../../core/download/downloader-registry.js';
import { isEgretError } from '../../core/errors.js';
import type { PluginDescriptor } from '../../core/plugins/plugin-descriptor.js';
import type { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import type { Uploader } from '../../core/spi/uploader.js';
import { packageFileName } from '../../core/uploader/package-location.js';
import { downloadersFor, sha256Of, testRuntime, uploaderFromPlugin, writePackage } from './uploader-harness.js';

/** What the uploader contract suite needs to know about an implementation. */
export interface UploaderContractSubject {
  /** The uploader plugin under test. */
  readonly plugin: PluginDescriptor;
  /** Where a child process imports the plugin from: a module URL and the name of its export. */
  readonly pluginModule: { readonly url: string; readonly exportName: string };
  /** The plugin's config values (the downloader of its URIs reads them too). */
  readonly config: Readonly<Record<string, ConfigValue>>;
  /** The modules binding the Downloader for its URIs, beside core's file and http(s) ones. */
  readonly downloaderModules: readonly ContainerModule[];
  /** Every name stored in the location of `runtime`'s package, staging names included ([] if none, or no location). */
  listStored(runtime: TopologyRuntime): Promise<string[]>;
  /** True when a reader never finds "no package" while one replaces another (false for a two-rename publish). */
  readonly atomicReplace: boolean;
  /** Bytes in the "large" package of the concurrency and crash tests: enough for an upload to be caught mid-way. */
  readonly largePackageBytes: number;
  /** Slows uploads down (when the target can), so that a test can act while one is in flight. */
  slowUploads(slow: boolean): void;
  /** Resolves once an upload of `runtime`'s package is moving bytes; rejects after `timeoutMs`. */
  uploadInFlight(runtime: TopologyRuntime, timeoutMs: number): Promise<void>;
}

/** A subject with its servers, set up before the suite and closed after it. */
export type UploaderContractSetup = () => Promise<UploaderContractSubject & { close(): Promise<void> }>;

const TEST_TIMEOUT_MS = 60_000;

/**
 * The contract every Uploader (and the Downloader of its URIs) must keep, as a node:test suite. Run it against an
 * implementation with `describeUploaderContract('my-uploader', setup)` in a test file; an external plugin's author
 * can run it on theirs the same way.
 */
export function describeUploaderContract(name: string, setup: UploaderContractSetup): void {
  describe(`Uploader contract: ${name}`, { timeout: TEST_TIMEOUT_MS * 4 }, () => {
    let subject: UploaderContractSubject & { close(): Promise<void> };
    let downloads: DownloaderRegistry;
    let dir: string;
    const opened: Uploader[] = [];
    let topologies = 0;

    before(async () => {
      subject = await setup();
      downloads = await downloadersFor(subject.plugin, subject.config, subject.downloaderModules);
      dir = await mkdtemp(join(tmpdir(), 'egret-uploader-contract-'));
    });
    after(async () => {
      for (const uploader of opened) await uploader.close();
      await subject?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const runtime = () => testRuntime(`contract-${name.replace(/[^a-z0-9]/gi, '')}-${++topologies}`);
    const create = async (r: TopologyRuntime) => {
      const uploader = await uploaderFromPlugin(subject.plugin, subject.config, r);
      opened.push(uploader);
      return uploader;
    };
    const fetched = async (uri: string) => {
      const destination = join(dir, `fetched-${Math.random().toString(36).slice(2)}`);
      await downloads.download(uri, destination);
      const hash = await sha256Of(destination);
      await rm(destination, { force: true });
      return hash;
    };
    const small = (label: string) => writePackage(dir, `${label}-${++topologies}.tar.gz`, 64 * 1024);

    it('uploads a package that the Downloader for the returned URI fetches byte for byte', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const pkg = await writePackage(dir, `one-${topologies}.tar.gz`, 300 * 1024 + 7);
      const uploader = await create(r);
      const uri = await uploader.upload(pkg.path);
      assert.equal(await fetched(uri), pkg.sha256);
      await uploader.close();
      assert.deepEqual(await subject.listStored(r), [packageFileName(r)], 'only the package stays after close');
    });

    it('replaces the package on a second upload, and undo brings the first back (second uploader)', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const [v1, v2] = [await small('v1'), await small('v2')];
      const first = await create(r);
      const uri = await first.upload(v1.path);
      await first.close();
      const second = await create(r);
      assert.equal(await second.upload(v2.path), uri, 'one URI per topology');
      assert.equal(await fetched(uri), v2.sha256);
      await second.undo();
      assert.equal(await fetched(uri), v1.sha256);
      await second.close();
      assert.deepEqual(await subject.listStored(r), [packageFileName(r)]);
    });

    it('undoes the latest of two uploads by one uploader, and a second undo is a no-op', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const [v1, v2] = [await small('v1'), await small('v2')];
      const uploader = await create(r);
      const uri = await uploader.upload(v1.path);
      await uploader.upload(v2.path);
      await uploader.undo();
      assert.equal(await fetched(uri), v1.sha256);
      await uploader.undo();
      assert.equal(await fetched(uri), v1.sha256);
      await uploader.close();
      assert.deepEqual(await subject.listStored(r), [packageFileName(r)]);
    });

    it('leaves nothing when undoing an upload that had no previous package', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const uploader = await create(r);
      const uri = await uploader.upload((await small('only')).path);
      await uploader.undo();
      assert.deepEqual(await subject.listStored(r), []);
      await assert.rejects(fetched(uri), { code: 'DOWNLOADER_NOT_FOUND' });
      await uploader.close();
    });

    it('treats undo as a no-op when nothing was uploaded, leaving another uploader’s package alone', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const v1 = await small('v1');
      const owner = await create(r);
      const uri = await owner.upload(v1.path);
      await owner.close();
      const idle = await create(r);
      await idle.undo();
      await idle.undo();
      await idle.close();
      assert.equal(await fetched(uri), v1.sha256);
    });

    it('fails with UPLOADER_PACKAGE_UNREADABLE for a missing package file, naming it, and changes nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const v1 = await small('v1');
      const uploader = await create(r);
      const uri = await uploader.upload(v1.path);
      const missing = join(dir, 'no-such-package.tar.gz');
      await assert.rejects(uploader.upload(missing), (error: unknown) => {
        assert.ok(isEgretError(error) && error.code === 'UPLOADER_PACKAGE_UNREADABLE', String(error));
        assert.match(error.message, /no-such-package\.tar\.gz/);
        return true;
      });
      assert.equal(await fetched(uri), v1.sha256);
      await uploader.undo();
      assert.deepEqual(await subject.listStored(r), [], 'the failed upload did not replace what undo restores');
      await uploader.close();
    });

    it('never shows a half-written package to a reader polling during a large upload', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const [v1, v2] = [await small('v1'), await writePackage(dir, `large-${topologies}.tar.gz`, subject.largePackageBytes)];
      const first = await create(r);
      const uri = await first.upload(v1.path);
      await first.close();
      const second = await create(r);
      subject.slowUploads(true);
      let settled = false;
      const uploading = second.upload(v2.path).finally(() => (settled = true));
      const seen = { old: 0, new: 0, none: 0 };
      try {
        await subject.uploadInFlight(r, 20_000);
        while (!settled) {
          try {
            const hash = await fetched(uri);
            assert.ok(hash === v1.sha256 || hash === v2.sha256, 'a reader got bytes of neither package: a partial package was visible');
            seen[hash === v1.sha256 ? 'old' : 'new']++;
          } catch (error) {
            if (!(isEgretError(error) && error.code === 'DOWNLOADER_NOT_FOUND')) throw error;
            assert.ok(!subject.atomicReplace, 'the package vanished during a replace that should be atomic');
            seen.none++;
          }
        }
      } finally {
        subject.slowUploads(false);
        await uploading.catch(() => undefined);
      }
      assert.equal(await uploading, uri);
      assert.ok(seen.old + seen.none > 0, `no read happened while the upload was in flight (${JSON.stringify(seen)})`);
      assert.equal(await fetched(uri), v2.sha256);
      await second.close();
    });

    it('survives a SIGKILL mid-upload: no partial package is visible, the old one stays, the next upload works', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const [v1, v2, v3] = [await small('v1'), await writePackage(dir, `large-${topologies}.tar.gz`, subject.largePackageBytes), await small('v3')];
      const first = await create(r);
      const uri = await first.upload(v1.path);
      await first.close();
      subject.slowUploads(true);
      const child = spawn(process.execPath, [new URL('./uploader-child.js', import.meta.url).pathname, subject.pluginModule.url, subject.pluginModule.exportName, JSON.stringify(subject.config), JSON.stringify(r), v2.path], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk));
      const exited = once(child, 'exit');
      try {
        await Promise.race([subject.uploadInFlight(r, 20_000), exited.then(() => assert.fail(`the child finished before it could be killed mid-upload: ${output}`))]);
      } finally {
        child.kill('SIGKILL');
        await exited;
        subject.slowUploads(false);
      }
      assert.doesNotMatch(output, /uploaded/, 'the child was killed before finishing');
      assert.equal(await fetched(uri), v1.sha256, 'the old package is intact');
      const next = await create(r);
      assert.equal(await next.upload(v3.path), uri);
      assert.equal(await fetched(uri), v3.sha256);
      await next.close();
      assert.deepEqual(await subject.listStored(r), [packageFileName(r)], 'the next upload cleared what the killed one left');
    });

    it('can be closed twice, and refuses to upload once closed', { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = runtime();
      const uploader = await create(r);
      await uploader.upload((await small('v1')).path);
      await uploader.close();
      await uploader.close();
      await assert.rejects(uploader.upload((await small('v2')).path), (error: unknown) => isEgretError(error) && error.name === 'UploaderError');
    });
  });
}
