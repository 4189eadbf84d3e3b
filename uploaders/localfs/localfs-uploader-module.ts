import { ContainerModule } from 'inversify';
import { Uploader } from '../../core/spi/uploader.js';
import { LocalFsUploader } from './localfs-uploader.js';

/** Binds {@link Uploader} to the localfs uploader; the loader binds its config token first, the host the TopologyRuntime. */
export const localFsUploaderModule = new ContainerModule((options) => {
  options.bind(Uploader).to(LocalFsUploader).inSingletonScope();
});
