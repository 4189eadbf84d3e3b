import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SigV4Verdict, verifySigV4 } from './s3-sigv4-verifier.js';

/** One request the proxy saw, with the verifier's verdict. */
export interface SignedRequestRecord {
  readonly method: string;
  readonly target: string;
  readonly verdict: SigV4Verdict;
  readonly amzDate?: string;
  readonly contentSha256?: string;
}

/**
 * A TEST DOUBLE of S3's request authentication, standing in front of s3rver (which does not check SigV4
 * signatures): it recomputes every request's signature with {@link verifySigV4} from the secrets it is given,
 * answers a bad or missing one as S3 does (403 with an XML `SignatureDoesNotMatch` / `AccessDenied` error) and
 * forwards good ones to s3rver. It records every request, can slow the bodies it reads (so a test can act while an
 * upload is in flight) and can stop answering (a server that hangs).
 */
export class S3SigningProxy {
  readonly records: SignedRequestRecord[] = [];
  private readonly progress = new EventEmitter();
  private bytesPerSecond: number | undefined;
  private hanging = false;

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
    private readonly secrets: Readonly<Record<string, string>>,
  ) {
    server.on('request', (req, res) => void this.handle(req, res));
  }

  /** Starts the proxy on 127.0.0.1 (OS-chosen port) in front of `upstream` (s3rver's endpoint). */
  static async start(upstream: string, secrets: Readonly<Record<string, string>>): Promise<S3SigningProxy> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new S3SigningProxy(server, new URL(upstream), secrets);
  }

  /** `http://127.0.0.1:<port>`: the endpoint to give the S3 client. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Reads request bodies at about this many bytes a second; undefined for full speed. */
  throttle(bytesPerSecond: number | undefined): void {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Accepts requests and never answers them while true. */
  hang(hanging: boolean): void {
    this.hanging = hanging;
  }

  /** Resolves once a request body whose target `match` accepts has delivered bytes. */
  async waitForBody(match: (method: string, target: string) => boolean, timeoutMs = 5000): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const [method, target] = (await once(this.progress, 'body', { signal })) as [string, string];
      if (match(method, target)) return;
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.hanging) return;
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
        this.progress.emit('body', method, target);
        if (this.bytesPerSecond) await sleep(((chunk as Buffer).length / this.bytesPerSecond) * 1000);
      }
    } catch {
      return; // the client went away mid-body (a killed uploader)
    }
    const body = Buffer.concat(chunks);
    const verdict = verifySigV4({ method, target, rawHeaders: req.rawHeaders, body }, this.secrets);
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const amzDate = header('x-amz-date');
    const contentSha256 = header('x-amz-content-sha256');
    this.records.push({ method, target, verdict, ...(amzDate ? { amzDate } : {}), ...(contentSha256 ? { contentSha256 } : {}) });
    if (verdict.problems.length > 0) {
      const code = verdict.mechanism === 'none' ? 'AccessDenied' : 'SignatureDoesNotMatch';
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(verdict.problems.join('; '))}</Message></Error>`;
      res.writeHead(403, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
      return void res.end(xml);
    }
    this.forward(req, res, body);
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const headers = { ...req.headers, host: this.upstream.host };
    const upstream = request({ host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}
