import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebHdfsNamespace } from './webhdfs-namespace.js';
import { RemoteException, remoteExceptions as errors } from './webhdfs-remote-exception.js';

/** Which of the double's two servers a fault or a recorded request concerns. */
export type WebHdfsRole = 'namenode' | 'datanode';

/** Faults the double can inject; `op` limits a fault to one operation (CREATE, OPEN, ...). */
export type WebHdfsFault =
  /** Accept the request and never answer. */
  | { readonly kind: 'hang'; readonly on: WebHdfsRole; readonly op?: string }
  /** Redirect to a datanode port nobody listens on (connection refused). */
  | { readonly kind: 'refuse-datanode' }
  /** Answer with a RemoteException (`javaClassName` defaults from the status: 403 AccessControlException, else RuntimeException). */
  | { readonly kind: 'error'; readonly on: WebHdfsRole; readonly status: number; readonly javaClassName?: string; readonly message?: string; readonly op?: string }
  /** Answer with a plain-text body, as a proxy or an authentication filter does. */
  | { readonly kind: 'plain-error'; readonly on: WebHdfsRole; readonly status: number; readonly body: string; readonly op?: string }
  /** Drop the connection once a datanode CREATE has received this many bytes. */
  | { readonly kind: 'disconnect'; readonly afterBytes: number };

/** A request as the double saw it. */
export interface RecordedWebHdfsRequest {
  readonly role: WebHdfsRole;
  readonly method: string;
  readonly op: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Bytes in the request body (the namenode must get none for CREATE). */
  bodyBytes: number;
}

export interface WebHdfsServerDoubleOptions {
  readonly superuser?: string;
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  /** Valid delegation tokens and the user each stands for. */
  readonly delegationTokens?: Readonly<Record<string, string>>;
  /** Serve requests without `user.name` or `delegation` as `dr.who`; by default they get a 401. */
  readonly anonymousAllowed?: boolean;
}

const PREFIX = '/webhdfs/v1';

/**
 * A TEST DOUBLE of HDFS's WebHDFS REST API, written from the Hadoop "WebHDFS REST API" documentation, for tests
 * that cannot run a real Hadoop here. A namenode server answers the namespace operations (GETFILESTATUS,
 * LISTSTATUS, MKDIRS, RENAME, DELETE) with their JSON bodies, and CREATE and OPEN with a 307 to a datanode server
 * on a second port, which takes or serves the bytes. Users come from `user.name` or a `delegation` token; errors are
 * RemoteException bodies with the documented statuses. It is stricter than Hadoop in one way: a CREATE that sends
 * bytes to the namenode is refused (400), so a client that skips the redirect dance fails here.
 */
export class WebHdfsServerDouble {
  readonly namespace: WebHdfsNamespace;
  readonly requests: RecordedWebHdfsRequest[] = [];
  private readonly writes = new EventEmitter();
  private fault: WebHdfsFault | undefined;
  private bytesPerSecond: number | undefined;

  private constructor(
    private readonly namenode: Server,
    private readonly datanode: Server,
    private readonly deadPort: number,
    private readonly options: WebHdfsServerDoubleOptions,
  ) {
    this.namespace = new WebHdfsNamespace(options.superuser, options.groups);
    namenode.on('request', (req, res) => this.serve('namenode', req, res));
    datanode.on('request', (req, res) => this.serve('datanode', req, res));
  }

  /** Starts both servers on 127.0.0.1 with ports the OS picks. */
  static async start(options: WebHdfsServerDoubleOptions = {}): Promise<WebHdfsServerDouble> {
    const [namenode, datanode, spare] = [createServer(), createServer(), createServer()];
    for (const server of [namenode, datanode, spare]) {
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
    }
    const deadPort = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve));
    return new WebHdfsServerDouble(namenode, datanode, deadPort, options);
  }

  /** `http://127.0.0.1:<port>` of the namenode. */
  get namenodeUrl(): string {
    return `http://127.0.0.1:${(this.namenode.address() as AddressInfo).port}`;
  }

  /** Injects a fault into every later request it matches, until replaced or cleared with undefined. */
  setFault(fault: WebHdfsFault | undefined): void {
    this.fault = fault;
  }

  /** Makes the datanode read CREATE bodies at about this many bytes a second; undefined for full speed. */
  throttleWrites(bytesPerSecond: number | undefined): void {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Resolves with the path once a datanode CREATE has stored bytes of a path `match` accepts. */
  async waitForWrite(match: (path: string) => boolean, timeoutMs = 5000): Promise<string> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const [path] = (await once(this.writes, 'write', { signal })) as [string];
      if (match(path)) return path;
    }
  }

  /** Stops both servers, dropping connections (hanging ones too). */
  async close(): Promise<void> {
    for (const server of [this.namenode, this.datanode]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  private async serve(role: WebHdfsRole, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const query = Object.fromEntries(url.searchParams);
    const op = (query['op'] ?? '').toUpperCase();
    const path = decodeURIComponent(url.pathname.slice(PREFIX.length)) || '/';
    const record: RecordedWebHdfsRequest = { role, method: req.method ?? '', op, path, query, bodyBytes: 0 };
    this.requests.push(record);
    try {
      if (!url.pathname.startsWith(PREFIX)) return plain(res, 404, `no WebHDFS here: ${url.pathname}`);
      if (this.injectFault(role, op, res)) return;
      const user = this.userOf(query);
      if (user === undefined) return plain(res, 401, 'Authentication required');
      if (role === 'namenode') return await this.serveNamenode(req, res, record, user);
      return await this.serveDatanode(req, res, record, user);
    } catch (error) {
      const remote = error instanceof RemoteException ? error : errors.runtime(String(error));
      if (!res.headersSent) json(res, remote.status, remote.toJSON());
      req.resume();
    }
  }

  private async serveNamenode(req: IncomingMessage, res: ServerResponse, record: RecordedWebHdfsRequest, user: string): Promise<void> {
    for await (const chunk of req) record.bodyBytes += (chunk as Buffer).length;
    const { method, op, path, query } = record;
    const ns = this.namespace;
    switch (`${method} ${op}`) {
      case 'GET GETFILESTATUS':
        return json(res, 200, { FileStatus: ns.status(path) });
      case 'GET LISTSTATUS':
        return json(res, 200, { FileStatuses: { FileStatus: ns.list(path) } });
      case 'GET OPEN':
        ns.read(path, user, 0, 0);
        return this.redirect(res, record);
      case 'PUT MKDIRS':
        return json(res, 200, { boolean: ns.mkdirs(path, user, parseInt(query['permission'] ?? '755', 8)) });
      case 'PUT CREATE':
        if (record.bodyBytes > 0) throw errors.illegalArgument(`CREATE sent ${record.bodyBytes} bytes to the namenode; send them to the datanode of the redirect`);
        return this.redirect(res, record);
      case 'PUT RENAME': {
        const destination = query['destination'];
        if (!destination?.startsWith('/')) throw errors.illegalArgument(`Invalid value for webhdfs parameter "destination": ${destination ?? ''}`);
        return json(res, 200, { boolean: ns.rename(path, destination, user) });
      }
      case 'DELETE DELETE':
        return json(res, 200, { boolean: ns.delete(path, query['recursive'] === 'true', user) });
      default:
        throw errors.illegalArgument(`Invalid value for webhdfs parameter "op": No enum constant for ${method} ${op || '(none)'}`);
    }
  }

  private async serveDatanode(req: IncomingMessage, res: ServerResponse, record: RecordedWebHdfsRequest, user: string): Promise<void> {
    const { method, op, path, query } = record;
    if (method === 'GET' && op === 'OPEN') {
      const offset = Number(query['offset'] ?? 0);
      const data = this.namespace.read(path, user, offset, query['length'] === undefined ? undefined : Number(query['length']));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': data.length });
      for (let i = 0; i < data.length; i += 65536) if (!res.write(data.subarray(i, i + 65536))) await once(res, 'drain');
      return void res.end();
    }
    if (method !== 'PUT' || op !== 'CREATE') throw errors.illegalArgument(`the datanode does not serve ${method} ${op}`);
    const append = this.namespace.create(path, user, { overwrite: query['overwrite'] === 'true', permission: parseInt(query['permission'] ?? '644', 8) });
    // Not destroyed on a break: after a quota error the client must still read the 403, so the body is drained.
    for await (const chunk of req.iterator({ destroyOnReturn: false })) {
      append(chunk as Buffer);
      record.bodyBytes += (chunk as Buffer).length;
      this.writes.emit('write', path);
      const fault = this.fault;
      if (fault?.kind === 'disconnect' && record.bodyBytes >= fault.afterBytes) return void req.socket.destroy();
      if (this.bytesPerSecond) await sleep(((chunk as Buffer).length / this.bytesPerSecond) * 1000);
    }
    res.writeHead(201, { Location: `webhdfs://127.0.0.1:${(this.namenode.address() as AddressInfo).port}${path}`, 'Content-Length': 0 });
    res.end();
  }

  private redirect(res: ServerResponse, record: RecordedWebHdfsRequest): void {
    const port = this.fault?.kind === 'refuse-datanode' ? this.deadPort : (this.datanode.address() as AddressInfo).port;
    const query = new URLSearchParams({ ...record.query, namenoderpcaddress: `127.0.0.1:${(this.namenode.address() as AddressInfo).port}` });
    const location = `http://127.0.0.1:${port}${PREFIX}${record.path.split('/').map(encodeURIComponent).join('/')}?${query}`;
    res.writeHead(307, { Location: location, 'Content-Type': 'application/octet-stream', 'Content-Length': 0 });
    res.end();
  }

  /** The user a request acts as; undefined when it names none and anonymous requests are not allowed. */
  private userOf(query: Record<string, string>): string | undefined {
    const token = query['delegation'];
    if (token !== undefined) {
      const user = this.options.delegationTokens?.[token];
      if (user === undefined) throw errors.invalidToken(token);
      return user;
    }
    return query['user.name'] ?? (this.options.anonymousAllowed ? 'dr.who' : undefined);
  }

  private injectFault(role: WebHdfsRole, op: string, res: ServerResponse): boolean {
    const fault = this.fault;
    if (!fault || fault.kind === 'refuse-datanode' || fault.kind === 'disconnect' || fault.on !== role || (fault.op !== undefined && fault.op !== op)) return false;
    if (fault.kind === 'hang') return true;
    if (fault.kind === 'plain-error') {
      plain(res, fault.status, fault.body);
      return true;
    }
    const javaClassName = fault.javaClassName ?? (fault.status === 403 ? 'org.apache.hadoop.security.AccessControlException' : 'java.lang.RuntimeException');
    json(res, fault.status, new RemoteException(fault.status, javaClassName, fault.message ?? `injected by the test double for ${op}`).toJSON());
    return true;
  }
}

function json(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
