import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Container } from 'inversify';
import { type Downloader, Downloader as DownloaderToken } from '../spi/downloader.js';
import { builtInDownloadersModule } from './download-module.js';
import { DownloaderRegistry, DownloaderRegistryImpl } from './downloader-registry.js';
import { FileDownloader } from './file-downloader.js';
import { HttpDownloader } from './http-downloader.js';

function fake(schemes: string[], label = schemes.join('+')): Downloader & { label: string } {
  return { schemes, label, download: async () => undefined };
}

describe('DownloaderRegistry', () => {
  it('picks the downloader by the URI’s scheme, ignoring case', () => {
    const s3 = fake(['s3']);
    const web = fake(['webhdfs', 'hdfs']);
    const registry = new DownloaderRegistryImpl([s3, web]);
    assert.equal(registry.downloaderFor('s3://bucket/key'), s3);
    assert.equal(registry.downloaderFor('HDFS://nn:8020/x'), web);
    assert.deepEqual(registry.schemes, ['hdfs', 's3', 'webhdfs']);
  });

  it('fails with DOWNLOADER_UNSUPPORTED_SCHEME naming the URI and the schemes it has', () => {
    const registry = new DownloaderRegistryImpl([fake(['s3']), fake(['file'])]);
    assert.throws(() => registry.downloaderFor('ftp://host/p.tar.gz'), {
      name: 'DownloaderError',
      code: 'DOWNLOADER_UNSUPPORTED_SCHEME',
      message: "cannot download 'ftp://host/p.tar.gz': no downloader handles the scheme 'ftp' (schemes with a downloader: file, s3)",
    });
    assert.throws(() => registry.downloaderFor('/tmp/p.tar.gz'), { code: 'DOWNLOADER_UNSUPPORTED_SCHEME', message: /has no URI scheme \(schemes with a downloader: file, s3\)/ });
  });

  it('says so when no downloader is bound at all (undefined from an optional multi-injection counts as none)', () => {
    assert.throws(() => new DownloaderRegistryImpl(undefined).downloaderFor('s3://b/k'), { message: /schemes with a downloader: none: no downloader is bound/ });
  });

  it('lets a later downloader replace an earlier one for the same scheme', () => {
    const builtIn = fake(['http', 'https'], 'built-in');
    const external = fake(['https'], 'external');
    const registry = new DownloaderRegistryImpl([builtIn, external]);
    assert.equal(registry.downloaderFor('https://x/y'), external);
    assert.equal(registry.downloaderFor('http://x/y'), builtIn);
  });

  it('delegates download to the chosen downloader', async () => {
    const calls: string[] = [];
    const registry = new DownloaderRegistryImpl([{ schemes: ['mem'], download: async (uri, destination) => void calls.push(`${uri} -> ${destination}`) }]);
    await registry.download('mem://a', '/tmp/b');
    assert.deepEqual(calls, ['mem://a -> /tmp/b']);
  });

  it('is bound with the built-in file and http(s) downloaders by builtInDownloadersModule; inversify injects [] when none is bound', async () => {
    const container = new Container();
    await container.load(builtInDownloadersModule);
    const registry = container.get<DownloaderRegistry>(DownloaderRegistry);
    assert.deepEqual(registry.schemes, ['file', 'http', 'https']);
    assert.ok(registry.downloaderFor('file:///x') instanceof FileDownloader);
    assert.ok(registry.downloaderFor('https://x') instanceof HttpDownloader);
    assert.equal(container.get<DownloaderRegistry>(DownloaderRegistry), registry, 'a singleton');

    const empty = new Container();
    empty.bind(DownloaderRegistry).to(DownloaderRegistryImpl);
    assert.deepEqual(empty.getAll(DownloaderToken), []);
    assert.deepEqual(empty.get<DownloaderRegistry>(DownloaderRegistry).schemes, []);
  });
});
