import { ContainerModule } from 'inversify';
import { Downloader } from '../spi/downloader.js';
import { DownloaderRegistry, DownloaderRegistryImpl } from './downloader-registry.js';
import { FileDownloader } from './file-downloader.js';
import { HttpDownloader } from './http-downloader.js';

/**
 * Binds the built-in downloaders (file, http, https) under the `Downloader` token and the {@link DownloaderRegistry}
 * that picks among everything bound there. A process that fetches packages (the executor) loads this module plus
 * the downloader modules of the uploaders (`downloaderModules` in uploaders/downloaders.ts) from its composition root.
 */
export const builtInDownloadersModule = new ContainerModule((options) => {
  options.bind(Downloader).to(FileDownloader).inSingletonScope();
  options.bind(Downloader).to(HttpDownloader).inSingletonScope();
  options.bind(DownloaderRegistry).to(DownloaderRegistryImpl).inSingletonScope();
});
