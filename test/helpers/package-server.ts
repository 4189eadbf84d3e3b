import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

/** A loopback HTTP(S) server offering one file, as a web server holding uploaded packages would. */
export interface PackageServer {
  /** The file's http:// or https:// URI. */
  readonly uri: string;
  /** How many GETs of the file it answered. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/** A certificate for 127.0.0.1 and its key, as PEM files. */
export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * Makes a self-signed certificate for 127.0.0.1 in `dir` with the openssl command. A client trusts it through
 * `NODE_EXTRA_CA_CERTS=<certFile>` (read when Node starts, so only in child processes).
 */
export function selfSignedCertificate(dir: string): TestCertificate {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
    stdio: 'ignore',
  });
  return { certFile, keyFile };
}

/** Serves `file` at `http(s)://127.0.0.1:<port>/<its name>` (https with `tls`); anything else is a 404. */
export async function servePackage(file: string, tls?: TestCertificate): Promise<PackageServer> {
  const path = `/${basename(file)}`;
  let requests = 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== path) {
      res.writeHead(404).end('not found');
      return;
    }
    requests += 1;
    res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': statSync(file).size });
    createReadStream(file).pipe(res);
  };
  const server = tls ? createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, handler) : createHttpServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    uri: `${tls ? 'https' : 'http'}://127.0.0.1:${port}${path}`,
    requests: () => requests,
    close: async () => {
      const closed = once(server, 'close');
      server.closeAllConnections();
      server.close();
      await closed;
    },
  };
}
