import { request as httpRequest } from 'node:http';

/** An answer: its status and whole body. */
export interface LoopbackHttpResponse {
  readonly status: number;
  readonly body: Buffer;
}

/** Why a request got no answer: Node's code for the socket's error (ECONNREFUSED, ECONNRESET, ...) or ETIMEDOUT. */
export class LoopbackHttpError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly timeoutMs?: number,
  ) {
    super(message);
    this.name = 'LoopbackHttpError';
  }
}

/**
 * One plain HTTP request to an Egret process (a scheduler process, a topology manager's controller) by `host:port`,
 * resolving with any status. Node's own client, not axios: `egret kill` and `egret submit --wait` are on the clock
 * (bench:lifecycle), and importing axios cost each command ~0.2 s of CPU. No proxy (an HTTP_PROXY of the user's
 * must not apply to these processes), no redirects. Rejects with {@link LoopbackHttpError} when no answer comes
 * within `timeoutMs` (from the request's start to the end of the body) or the connection fails.
 */
export function loopbackHttp(options: {
  readonly method: 'GET' | 'POST';
  readonly endpoint: string;
  readonly path: string;
  readonly body?: Uint8Array;
  readonly contentType?: string;
  readonly timeoutMs: number;
}): Promise<LoopbackHttpResponse> {
  const url = new URL(options.path, `http://${options.endpoint}`);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { connection: 'close' };
    if (options.contentType) headers['content-type'] = options.contentType;
    if (options.body) headers['content-length'] = options.body.byteLength;
    const req = httpRequest(url, { method: options.method, headers });
    const timer = setTimeout(() => req.destroy(new LoopbackHttpError(`no answer within ${options.timeoutMs} ms`, 'ETIMEDOUT', options.timeoutMs)), options.timeoutMs);
    req.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error instanceof LoopbackHttpError ? error : new LoopbackHttpError(error.message, error.code ?? 'EIO'));
    });
    req.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
      response.once('error', (error) => req.destroy(error));
    });
    req.end(options.body === undefined ? undefined : Buffer.from(options.body.buffer, options.body.byteOffset, options.body.byteLength));
  });
}
