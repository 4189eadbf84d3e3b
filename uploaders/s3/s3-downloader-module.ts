import { ContainerModule } from 'inversify';
import { Downloader } from '../../core/spi/downloader.js';
import { S3Downloader } from './s3-downloader.js';

/** Adds the `s3` {@link Downloader} to a process's downloaders (beside core's builtInDownloadersModule). */
export const s3DownloaderModule = new ContainerModule((options) => {
  options.bind(Downloader).to(S3Downloader).inSingletonScope();
});
