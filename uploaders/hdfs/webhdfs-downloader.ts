import { inject, injectable, optional } from 'inversify';
import { writeFileAtomically } from '../../core/download/atomic-file.js';
import { downloadError } from '../../core/download/download-error.js';
import { type Config, EgretConfig } from '../../core/config/config.js';
import { currentUser } from '../../core/config/config-variables.js';
import { type Downloader, DownloaderError } from '../../core/spi/downloader.js';
import { HdfsUploaderKeys, type WebHdfsConnectionConfig, webHdfsConnectionConfigSchema } from './hdfs-uploader-config.js';
import { WebHdfsError } from './webhdfs-error.js';
import { namenodeBaseUrl, parseHdfsUri } from './webhdfs-uri.js';

/**
 * Fetches `webhdfs://host:port/path` and `swebhdfs://` URIs (what the hdfs uploader returns) with WebHDFS OPEN,
 * following the namenode's redirect to a datanode; `hdfs://` URIs too, through the namenode of
 * `egret.uploader.hdfs.namenode.uri` (their port is the RPC one, useless over HTTP). It authenticates as the hdfs
 * uploader does, from the `egret.uploader.hdfs.*` keys when the process's config has them, else as the OS user.
 */
@injectable()
export class WebHdfsDownloader implements Downloader {
  readonly schemes = ['webhdfs', 'swebhdfs', 'hdfs'] as const;

  constructor(@inject(EgretConfig) @optional() private readonly config: Config | undefined) {}

  /**
   * Streams the file to `destination` (staged and renamed: whole or not at all). Throws DOWNLOADER_NOT_FOUND
   * (FileNotFoundException), DOWNLOADER_ACCESS_DENIED (AccessControlException, a bad token), DOWNLOADER_UNREACHABLE
   * (refused, silent for the timeout), DOWNLOADER_FAILED for an `hdfs://` URI without a configured namenode, invalid
   * keys, and failures to write `destination`.
   */
  async download(uri: string, destination: string): Promise<void> {
    const settings = this.settings(uri);
    let location: ReturnType<typeof parseHdfsUri>;
    try {
      location = parseHdfsUri(uri);
    } catch {
      throw new DownloaderError(`cannot download '${uri}': expected webhdfs://<namenode host>:<http port>/<path>`, { code: 'DOWNLOADER_FAILED' });
    }
    const namenode = settings[HdfsUploaderKeys.NAMENODE_URI];
    if (location.scheme === 'hdfs' && namenode === undefined) {
      throw new DownloaderError(`cannot download '${uri}': an hdfs:// URI names the RPC port; set ${HdfsUploaderKeys.NAMENODE_URI} to the namenode's WebHDFS address`, { code: 'DOWNLOADER_FAILED' });
    }
    const token = settings[HdfsUploaderKeys.DELEGATION_TOKEN];
    // Imported here: every executor and scheduler process registers this downloader, and the client's HTTP and TLS
    // modules cost each of them 10 ms of CPU to load, for a package URI that is seldom an HDFS one.
    const { WebHdfsClient } = await import('./webhdfs-client.js');
    const client = new WebHdfsClient({
      baseUrl: location.scheme === 'hdfs' && namenode !== undefined ? namenodeBaseUrl(namenode) : location.baseUrl,
      user: settings[HdfsUploaderKeys.USER] ?? currentUser(),
      ...(token === undefined ? {} : { delegationToken: token }),
      timeoutMs: settings[HdfsUploaderKeys.TIMEOUT_MS],
    });
    try {
      await client.open(location.path, (body, length) => writeFileAtomically(destination, body, length === undefined ? {} : { expectedBytes: length }));
    } catch (error) {
      throw downloadError(uri, destination, error, error instanceof WebHdfsError ? error.failure : undefined);
    } finally {
      client.close();
    }
  }

  private settings(uri: string): WebHdfsConnectionConfig {
    const keys = Object.keys(webHdfsConnectionConfigSchema.shape);
    const input = Object.fromEntries(keys.filter((key) => this.config?.has(key)).map((key) => [key, this.config?.get(key)]));
    const result = webHdfsConnectionConfigSchema.safeParse(input);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => `${this.config?.describeSource(String(issue.path[0])) ?? 'unset'}: ${String(issue.path[0])}: ${issue.message}`);
    throw new DownloaderError(`cannot download '${uri}': invalid WebHDFS config: ${problems.join('; ')}`, { code: 'DOWNLOADER_FAILED' });
  }
}
