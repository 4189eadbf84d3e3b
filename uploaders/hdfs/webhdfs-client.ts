import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse, Method } from 'axios';
import { IdleTimer } from '../../core/download/idle-timer.js';
import { failureOfError } from '../../core/download/transfer-failure.js';
import { messageOf } from '../../core/errors.js';
import { WebHdfsError, webHdfsErrorOf } from './webhdfs-error.js';

/** How to reach a WebHDFS namenode and who to be there. */
export interface WebHdfsClientOptions {
  /** `http(s)://host:port` of the namenode's HTTP server. */
  readonly baseUrl: string;
  /** Simple authentication's `user.name`; ignored when a delegation token is given. */
  readonly user?: string;
  readonly delegationToken?: string;
  /** How long a server may stay silent before a call fails. */
  readonly timeoutMs: number;
}

/** The parts of WebHDFS's FileStatus the uploader uses. */
export interface WebHdfsFileStatus {
  readonly pathSuffix: string;
  readonly type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
  readonly length: number;
  readonly modificationTime: number;
}

/**
 * A small WebHDFS REST client (MKDIRS, CREATE, OPEN, GETFILESTATUS, LISTSTATUS, RENAME, DELETE) on axios. Every
 * method throws {@link WebHdfsError}, classified from HDFS's RemoteException, the HTTP status or the network error.
 * Redirects are never followed by axios: CREATE must not send its bytes to the namenode, which is why WebHDFS
 * answers it with a 307 to a datanode first.
 */
export class WebHdfsClient {
  /** Imported with the first client: the plugin's module is loaded by every command, most never talk to HDFS. */
  private readonly http: Promise<AxiosInstance>;
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(private readonly options: WebHdfsClientOptions) {
    const https = options.baseUrl.startsWith('https:');
    this.agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.http = import('axios').then(({ default: axios }) => axios.create({
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      decompress: false,
      maxBodyLength: Infinity,
      maxContentLength: Infinity,
      ...(https ? { httpsAgent: this.agent } : { httpAgent: this.agent }),
    }));
  }

  /** The HTTP URL of `path` (absolute, in HDFS) for `op`, with the authentication parameters. */
  urlOf(path: string, op: string, params: Readonly<Record<string, string>> = {}): string {
    const query = new URLSearchParams({ op, ...params });
    if (this.options.delegationToken !== undefined) query.set('delegation', this.options.delegationToken);
    else if (this.options.user !== undefined) query.set('user.name', this.options.user);
    return `${this.options.baseUrl.replace(/\/+$/, '')}/webhdfs/v1${path.split('/').map(encodeURIComponent).join('/')}?${query}`;
  }

  /** MKDIRS: creates `path` and its parents (755); true when it exists afterwards. */
  async mkdirs(path: string): Promise<boolean> {
    return booleanOf(await this.json('PUT', path, 'MKDIRS', { permission: '755' }), `MKDIRS ${path}`);
  }

  /** GETFILESTATUS; undefined when nothing is at `path`. */
  async fileStatus(path: string): Promise<WebHdfsFileStatus | undefined> {
    try {
      const body = (await this.json('GET', path, 'GETFILESTATUS')) as { FileStatus?: WebHdfsFileStatus };
      if (!body.FileStatus) throw new WebHdfsError(`GETFILESTATUS ${path}: the answer has no FileStatus`, 'failed');
      return body.FileStatus;
    } catch (error) {
      if (error instanceof WebHdfsError && error.exception === 'FileNotFoundException') return undefined;
      throw error;
    }
  }

  /** LISTSTATUS of a directory; empty when it does not exist. */
  async listStatus(path: string): Promise<WebHdfsFileStatus[]> {
    try {
      const body = (await this.json('GET', path, 'LISTSTATUS')) as { FileStatuses?: { FileStatus?: WebHdfsFileStatus[] } };
      return body.FileStatuses?.FileStatus ?? [];
    } catch (error) {
      if (error instanceof WebHdfsError && error.exception === 'FileNotFoundException') return [];
      throw error;
    }
  }

  /** RENAME; false when HDFS declined (no source, or the destination exists: HDFS never overwrites here). */
  async rename(from: string, to: string): Promise<boolean> {
    return booleanOf(await this.json('PUT', from, 'RENAME', { destination: to }), `RENAME ${from} to ${to}`);
  }

  /** DELETE; false when there was nothing to delete. */
  async delete(path: string, recursive = false): Promise<boolean> {
    return booleanOf(await this.json('DELETE', path, 'DELETE', { recursive: String(recursive) }), `DELETE ${path}`);
  }

  /**
   * CREATE in WebHDFS's two steps: an empty PUT to the namenode, which answers 307 with a datanode's URL, then the
   * bytes to that URL (201). Fails if `path` exists (no overwrite). `source` is opened only once a datanode is known.
   */
  async create(path: string, source: () => Readable, size: number): Promise<void> {
    const location = await this.redirect('PUT', path, 'CREATE', { overwrite: 'false', permission: '644' });
    const what = `CREATE ${path} on ${hostOf(location)}`;
    const timer = new IdleTimer(this.options.timeoutMs, what);
    const body = timer.watch(source());
    try {
      const response = await this.send({ method: 'PUT', url: location, data: body, headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) }, signal: timer.signal }, timer);
      if (response.status !== 201 && response.status !== 200) throw webHdfsErrorOf(response.status, String(response.data), what);
    } finally {
      timer.stop();
      body.destroy();
    }
  }

  /**
   * OPEN: asks the namenode, follows its 307 to a datanode and hands the body, and its length when announced, to
   * `consume`, whose result it returns. The body errors if the datanode stays silent for the timeout.
   */
  async open<T>(path: string, consume: (body: Readable, length: number | undefined) => Promise<T>): Promise<T> {
    const location = await this.redirect('GET', path, 'OPEN');
    const what = `OPEN ${path} on ${hostOf(location)}`;
    const timer = new IdleTimer(this.options.timeoutMs, what);
    try {
      const response = await this.send({ method: 'GET', url: location, responseType: 'stream', signal: timer.signal }, timer);
      const stream = response.data as Readable;
      if (response.status !== 200) throw webHdfsErrorOf(response.status, await readText(stream), what);
      const length = Number(response.headers['content-length']);
      return await consume(timer.watch(stream), Number.isSafeInteger(length) ? length : undefined);
    } catch (error) {
      if (timer.expired && !(error instanceof WebHdfsError)) throw new WebHdfsError(messageOf(timer.signal.reason), 'unreachable', undefined, { cause: error });
      throw error;
    } finally {
      timer.stop();
    }
  }

  /** Frees the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async json(method: Method, path: string, op: string, params: Record<string, string> = {}): Promise<unknown> {
    const what = `${op} ${path}`;
    const timer = new IdleTimer(this.options.timeoutMs, what);
    try {
      const response = await this.send({ method, url: this.urlOf(path, op, params), signal: timer.signal }, timer);
      if (response.status !== 200) throw webHdfsErrorOf(response.status, String(response.data), what);
      try {
        return JSON.parse(String(response.data));
      } catch {
        throw new WebHdfsError(`${what}: the answer is not JSON: ${String(response.data).slice(0, 200)}`, 'failed');
      }
    } finally {
      timer.stop();
    }
  }

  /** The Location of the 307 the namenode answers `op` with. */
  private async redirect(method: Method, path: string, op: string, params: Record<string, string> = {}): Promise<string> {
    const what = `${op} ${path}`;
    const timer = new IdleTimer(this.options.timeoutMs, what);
    try {
      const response = await this.send({ method, url: this.urlOf(path, op, params), signal: timer.signal }, timer);
      const location = response.headers['location'];
      if (response.status === 307 && typeof location === 'string') return new URL(location, this.options.baseUrl).href;
      if (response.status === 307) throw new WebHdfsError(`${what}: a 307 without a Location`, 'failed');
      throw webHdfsErrorOf(response.status, String(response.data), what);
    } finally {
      timer.stop();
    }
  }

  private async send(config: AxiosRequestConfig, timer: IdleTimer): Promise<AxiosResponse> {
    try {
      return await (await this.http).request(config);
    } catch (error) {
      if (timer.expired) throw new WebHdfsError(messageOf(timer.signal.reason), 'unreachable', undefined, { cause: timer.signal.reason });
      const target = config.url ? hostOf(config.url) : this.options.baseUrl;
      throw new WebHdfsError(`${String(config.method)} ${target}: ${messageOf(error)}`, failureOfError(error) ?? 'failed', undefined, { cause: error });
    }
  }
}

function booleanOf(body: unknown, what: string): boolean {
  const value = (body as { boolean?: unknown } | undefined)?.boolean;
  if (typeof value !== 'boolean') throw new WebHdfsError(`${what}: expected {"boolean": ...}, got ${JSON.stringify(body)?.slice(0, 200)}`, 'failed');
  return value;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
