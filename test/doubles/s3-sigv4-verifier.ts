import { createHash, createHmac } from 'node:crypto';

/** A request as it arrived: the raw target (path and query as sent), the raw header pairs and the body. */
export interface ArrivedRequest {
  readonly method: string;
  readonly target: string;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** What the verifier found. */
export interface SigV4Verdict {
  /** `header` (Authorization header), `query` (presigned URL) or `none`. */
  readonly mechanism: 'header' | 'query' | 'none';
  readonly accessKeyId?: string;
  /** Empty when the signature is valid and the payload matches its hash. */
  readonly problems: readonly string[];
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * Recomputes an AWS Signature Version 4 as S3 does (AWS's "Signature Version 4 signing process": canonical request,
 * string to sign, HMAC chain from the secret key over date, region, service and "aws4_request") and compares it with
 * the one the request carries, in its Authorization header or in the query of a presigned URL. S3 takes the path as
 * sent (no second encoding) and the payload hash from `x-amz-content-sha256`; a hex hash is checked against the body.
 * Written for the tests from the published algorithm, independently of the SDK's signer.
 */
export function verifySigV4(request: ArrivedRequest, secrets: Readonly<Record<string, string>>): SigV4Verdict {
  const headers = headerMap(request.rawHeaders);
  const [path = '', rawQuery = ''] = splitOnce(request.target, '?');
  const query = parseQuery(rawQuery);
  const auth = headers.get('authorization');
  const presigned = query.some(([name]) => name === 'X-Amz-Algorithm');
  if (!auth && !presigned) return { mechanism: 'none', problems: ['the request is not signed'] };

  const problems: string[] = [];
  let credential: string, signedHeaders: string, signature: string, amzDate: string, payloadHash: string;
  if (auth) {
    const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!match) return { mechanism: 'header', problems: [`malformed Authorization header: ${auth}`] };
    [, credential = '', signedHeaders = '', signature = ''] = match;
    amzDate = headers.get('x-amz-date') ?? '';
    payloadHash = headers.get('x-amz-content-sha256') ?? '';
    if (!amzDate) problems.push('no x-amz-date header');
    if (!payloadHash) problems.push('no x-amz-content-sha256 header');
  } else {
    const get = (name: string) => query.find(([n]) => n === name)?.[1] ?? '';
    if (get('X-Amz-Algorithm') !== ALGORITHM) problems.push(`X-Amz-Algorithm is ${get('X-Amz-Algorithm')}`);
    [credential, signedHeaders, signature, amzDate] = [get('X-Amz-Credential'), get('X-Amz-SignedHeaders'), get('X-Amz-Signature'), get('X-Amz-Date')];
    payloadHash = get('X-Amz-Content-Sha256') || 'UNSIGNED-PAYLOAD';
  }
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = credential.split('/');
  const mechanism = auth ? 'header' : 'query';
  const secret = secrets[accessKeyId];
  if (secret === undefined) return { mechanism, accessKeyId, problems: [...problems, `unknown access key id ${accessKeyId}`] };
  if (service !== 's3' || terminator !== 'aws4_request' || !amzDate.startsWith(date)) problems.push(`bad credential scope ${credential} for date ${amzDate}`);

  const names = signedHeaders.split(';');
  if (!names.includes('host')) problems.push('the host header is not signed');
  const canonicalQuery = query
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = names.map((name) => `${name}:${(headers.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [request.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = [date, region, service, 'aws4_request'].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secret}`);
  if (hmac(key, stringToSign).toString('hex') !== signature) problems.push(`SignatureDoesNotMatch for ${request.method} ${path}`);
  if (/^[0-9a-f]{64}$/.test(payloadHash) && sha256(request.body) !== payloadHash) problems.push('the body does not match x-amz-content-sha256');
  return { mechanism, accessKeyId, problems };
}

function headerMap(raw: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    map.set(name, map.has(name) ? `${map.get(name)},${value}` : value);
  }
  return map;
}

function parseQuery(raw: string): Array<readonly [string, string]> {
  if (raw === '') return [];
  return raw.split('&').map((pair) => {
    const [name = '', value = ''] = splitOnce(pair, '=');
    return [decode(name), decode(value)] as const;
  });
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function decode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, '%20'));
}

/** URI encoding as SigV4 wants it: everything but unreserved characters, with upper-case hex. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
