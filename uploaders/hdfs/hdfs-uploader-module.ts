import { ContainerModule } from 'inversify';
import { Uploader } from '../../core/spi/uploader.js';
import { HdfsUploader } from './hdfs-uploader.js';

/** Binds {@link Uploader} to the hdfs uploader; the loader binds its config token first, the host the TopologyRuntime. */
export const hdfsUploaderModule = new ContainerModule((options) => {
  options.bind(Uploader).to(HdfsUploader).inSingletonScope();
});
