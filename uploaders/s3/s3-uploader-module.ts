import { ContainerModule } from 'inversify';
import { Uploader } from '../../core/spi/uploader.js';
import { S3Uploader } from './s3-uploader.js';

/**
 * Binds {@link Uploader} to the s3 uploader; the loader binds its config token first, the host the TopologyRuntime.
 * Binding does not load the AWS SDK: the uploader imports it when it first talks to S3 (see s3-sdk.ts).
 */
export const s3UploaderModule = new ContainerModule((options) => {
  options.bind(Uploader).to(S3Uploader).inSingletonScope();
});
