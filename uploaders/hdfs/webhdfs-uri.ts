/**
 * Hadoop names WebHDFS file systems `webhdfs://host:port/path` (`swebhdfs://` over TLS), with the namenode's HTTP
 * address: such a URI says everything a downloader needs, unlike `hdfs://`, which carries the RPC port.
 */

/** The `webhdfs://` (or `swebhdfs://`) URI of `path` on the namenode at `baseUrl` (`http(s)://host:port`). */
export function webHdfsUri(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  const scheme = url.protocol === 'https:' ? 'swebhdfs' : 'webhdfs';
  return `${scheme}://${url.host}${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** The HTTP base URL of a namenode address given as `http(s)://`, `webhdfs://` or `swebhdfs://`. */
export function namenodeBaseUrl(address: string): string {
  const url = new URL(address);
  const secure = url.protocol === 'https:' || url.protocol === 'swebhdfs:';
  return `${secure ? 'https' : 'http'}://${url.host}`;
}

/** The namenode base URL and the HDFS path of a `webhdfs://`, `swebhdfs://` or `hdfs://` URI. */
export function parseHdfsUri(uri: string): { scheme: string; baseUrl: string; path: string } {
  const url = new URL(uri);
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  return { scheme, baseUrl: namenodeBaseUrl(uri.replace(/^hdfs:/i, 'http:')), path: decodeURIComponent(url.pathname) };
}
