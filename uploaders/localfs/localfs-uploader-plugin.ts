import { definePlugin } from '../../core/plugins/plugin-descriptor.js';
import { LocalFsUploaderConfig, localFsUploaderConfigSchema } from './localfs-uploader-config.js';
import { localFsUploaderModule } from './localfs-uploader-module.js';

/**
 * The `localfs` uploader plugin (`egret.uploader: localfs`): packages copied to a directory on this machine, fetched
 * by the built-in `file` downloader. The embedded default.
 */
export const localFsUploaderPlugin = definePlugin({
  family: 'uploader',
  name: 'localfs',
  description: 'copies packages to a directory per cluster, role and topology on this machine (file: URIs)',
  configSchema: localFsUploaderConfigSchema,
  configToken: LocalFsUploaderConfig,
  module: localFsUploaderModule,
  // Its packages are file: URLs, which the executors read with core's file downloader.
  usesTls: false,
});
