import { ContainerModule } from 'inversify';
import { Downloader } from '../../core/spi/downloader.js';
import { WebHdfsDownloader } from './webhdfs-downloader.js';

/** Adds the `webhdfs`/`swebhdfs`/`hdfs` {@link Downloader} to a process's downloaders. */
export const webHdfsDownloaderModule = new ContainerModule((options) => {
  options.bind(Downloader).to(WebHdfsDownloader).inSingletonScope();
});
