import type { ContainerModule } from 'inversify';
import type { PluginDescriptor } from '../core/plugins/plugin-descriptor.js';
import { hdfsUploaderPlugin } from './hdfs/hdfs-uploader-plugin.js';
import { webHdfsDownloaderModule } from './hdfs/webhdfs-downloader-module.js';
import { localFsUploaderPlugin } from './localfs/localfs-uploader-plugin.js';
import { s3DownloaderModule } from './s3/s3-downloader-module.js';
import { s3UploaderPlugin } from './s3/s3-uploader-plugin.js';

/** The built-in uploader plugins. */
export const uploaderPlugins: readonly PluginDescriptor[] = [localFsUploaderPlugin, s3UploaderPlugin, hdfsUploaderPlugin];

/**
 * The downloaders that come with the built-in uploaders (s3; webhdfs, swebhdfs, hdfs), each a module binding the
 * `Downloader` token. A process that fetches packages loads them beside core's builtInDownloadersModule (file, http,
 * https), all of them whichever uploader is configured now, since running topologies keep the URIs of the uploader
 * they were submitted with.
 */
export const downloaderModules: readonly ContainerModule[] = [s3DownloaderModule, webHdfsDownloaderModule];
