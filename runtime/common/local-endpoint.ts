/**
 * The socket path of a local endpoint (native/PROTOCOL.md §2.1): `unix:/abs/path.sock` is a file,
 * `unix-abstract:name` Linux's abstract namespace, which Node reaches with a leading NUL byte. Undefined for
 * anything else.
 */
export function localSocketPath(endpoint: string): string | undefined {
  if (endpoint.startsWith('unix:')) {
    const path = endpoint.slice('unix:'.length);
    if (path.startsWith('/')) return path;
  } else if (endpoint.startsWith('unix-abstract:')) {
    const name = endpoint.slice('unix-abstract:'.length);
    if (name !== '') return `\0${name}`;
  }
  return undefined;
}

/** `unix-abstract:egret/<topology-id>/metricsmgr-<c>`: where container c's metrics manager listens. */
export function metricsManagerEndpoint(topologyId: string, container: number): string {
  return `unix-abstract:egret/${topologyId}/metricsmgr-${container}`;
}
