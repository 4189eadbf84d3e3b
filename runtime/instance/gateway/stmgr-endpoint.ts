import { InstanceError } from '../instance-error.js';

/**
 * The socket path of a stream manager's `local_endpoint` (PROTOCOL.md §2.1): `unix:/abs/path.sock` is a file,
 * `unix-abstract:name` Linux's abstract namespace, which Node reaches with a leading NUL byte. Throws
 * INSTANCE_BAD_ARGUMENTS for anything else.
 */
export function socketPathOf(endpoint: string): string {
  if (endpoint.startsWith('unix:')) {
    const path = endpoint.slice('unix:'.length);
    if (path.startsWith('/')) return path;
  } else if (endpoint.startsWith('unix-abstract:')) {
    const name = endpoint.slice('unix-abstract:'.length);
    if (name !== '') return `\0${name}`;
  }
  throw new InstanceError(`stream manager endpoint '${endpoint}' is neither unix:/absolute/path nor unix-abstract:name`, { code: 'INSTANCE_BAD_ARGUMENTS' });
}
