import { injectable, multiInject, optional } from 'inversify';
import { createLogger } from '../logging.js';
import { Downloader, DownloaderError } from '../spi/downloader.js';

/** DI token of the {@link DownloaderRegistry}. */
export const DownloaderRegistry: unique symbol = Symbol.for('egret.download.DownloaderRegistry');

/**
 * Picks the {@link Downloader} for a package URI by its scheme, among every downloader bound under the `Downloader`
 * token: the built-in file and http(s) ones, those of the built-in uploaders (s3, webhdfs) and any an external
 * uploader plugin's module binds. The executor fetches packages through it.
 */
export interface DownloaderRegistry {
  /** The schemes some downloader handles, sorted. */
  readonly schemes: readonly string[];
  /**
   * The downloader for `uri`'s scheme. Throws DOWNLOADER_UNSUPPORTED_SCHEME, naming the URI and the schemes there
   * are, when none handles it or `uri` has no scheme.
   */
  downloaderFor(uri: string): Downloader;
  /** Fetches `uri` into the file `destination` with the downloader for its scheme; fails as the two do. */
  download(uri: string, destination: string): Promise<void>;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const log = createLogger('download');

/** The {@link DownloaderRegistry} over the downloaders the container holds. */
@injectable()
export class DownloaderRegistryImpl implements DownloaderRegistry {
  private readonly byScheme = new Map<string, Downloader>();

  /**
   * `downloaders` in binding order; for a scheme claimed twice the later one wins, so an external plugin can replace
   * a built-in downloader (logged at debug). Undefined counts as none: older inversify versions inject undefined
   * rather than an empty array when nothing is bound under an optional multi-injection.
   */
  constructor(@multiInject(Downloader) @optional() downloaders: readonly Downloader[] | undefined) {
    for (const downloader of downloaders ?? []) {
      for (const scheme of downloader.schemes) {
        const key = scheme.toLowerCase();
        const previous = this.byScheme.get(key);
        if (previous) log.debug('a later downloader replaces an earlier one', { scheme: key, earlier: previous.constructor.name, later: downloader.constructor.name });
        this.byScheme.set(key, downloader);
      }
    }
  }

  get schemes(): readonly string[] {
    return [...this.byScheme.keys()].sort();
  }

  downloaderFor(uri: string): Downloader {
    const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
    const known = this.schemes.length > 0 ? this.schemes.join(', ') : 'none: no downloader is bound';
    if (scheme === undefined) {
      throw new DownloaderError(`cannot download '${uri}': it has no URI scheme (schemes with a downloader: ${known})`, { code: 'DOWNLOADER_UNSUPPORTED_SCHEME' });
    }
    const downloader = this.byScheme.get(scheme);
    if (!downloader) {
      throw new DownloaderError(`cannot download '${uri}': no downloader handles the scheme '${scheme}' (schemes with a downloader: ${known})`, {
        code: 'DOWNLOADER_UNSUPPORTED_SCHEME',
      });
    }
    return downloader;
  }

  download(uri: string, destination: string): Promise<void> {
    return this.downloaderFor(uri).download(uri, destination);
  }
}
