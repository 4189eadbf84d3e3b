import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { S3UploaderConfig, s3UploaderConfigSchema } from './s3-uploader-config.js';
import { s3UploaderModule } from './s3-uploader-module.js';

/**
 * The `s3` uploader plugin (`egret.uploader: s3`): packages in an S3 bucket (or an S3-compatible store), fetched by
 * the `s3` downloader, or by the http one when the uploader presigns URLs.
 */
export const s3UploaderPlugin = definePlugin({
  family: 'uploader',
  name: 's3',
  description: 'puts packages in an S3 bucket (s3:// or presigned https URIs)',
  configSchema: s3UploaderConfigSchema,
  configToken: S3UploaderConfig,
  module: s3UploaderModule,
  usesTls: true,
});
