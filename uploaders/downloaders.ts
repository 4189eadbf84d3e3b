import type { ContainerModule } from 'inversify';
import { webHdfsDownloaderModule } from './hdfs/webhdfs-downloader-module.js';
import { s3DownloaderModule } from './s3/s3-downloader-module.js';

/**
 * The downloaders that come with the built-in uploaders (s3; webhdfs, swebhdfs, hdfs), each a module binding the
 * `Downloader` token. A process that fetches packages loads them beside core's builtInDownloadersModule (file, http,
 * https), all of them whichever uploader is configured now, since running topologies keep the URIs of the uploader
 * they were submitted with. Apart from the uploader plugins (uploaders/index.ts): an executor fetches packages but
 * uploads nothing, so it does not import them.
 */
export const downloaderModules: readonly ContainerModule[] = [s3DownloaderModule, webHdfsDownloaderModule];
