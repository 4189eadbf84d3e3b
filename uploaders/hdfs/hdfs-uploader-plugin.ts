import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { HdfsUploaderConfig, hdfsUploaderConfigSchema } from './hdfs-uploader-config.js';
import { hdfsUploaderModule } from './hdfs-uploader-module.js';

/** The `hdfs` uploader plugin (`egret.uploader: hdfs`): packages in HDFS over WebHDFS, fetched by the webhdfs downloader. */
export const hdfsUploaderPlugin = definePlugin({
  family: 'uploader',
  name: 'hdfs',
  description: 'puts packages in HDFS through the WebHDFS REST API (webhdfs:// URIs)',
  configSchema: hdfsUploaderConfigSchema,
  configToken: HdfsUploaderConfig,
  module: hdfsUploaderModule,
  // https: and swebhdfs: namenodes.
  usesTls: true,
});
