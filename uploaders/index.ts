import type { PluginDescriptor } from '../core/plugins/plugin-descriptor.js';
import { hdfsUploaderPlugin } from './hdfs/hdfs-uploader-plugin.js';
import { localFsUploaderPlugin } from './localfs/localfs-uploader-plugin.js';
import { s3UploaderPlugin } from './s3/s3-uploader-plugin.js';

/** The built-in uploader plugins. */
export const uploaderPlugins: readonly PluginDescriptor[] = [localFsUploaderPlugin, s3UploaderPlugin, hdfsUploaderPlugin];
