import { localSocketPath } from '../../common/local-endpoint.js';
import { InstanceError } from '../instance-error.js';

/** The socket path of a stream manager's `local_endpoint`; throws INSTANCE_BAD_ARGUMENTS for a malformed one. */
export function socketPathOf(endpoint: string): string {
  const path = localSocketPath(endpoint);
  if (path === undefined) {
    throw new InstanceError(`stream manager endpoint '${endpoint}' is neither unix:/absolute/path nor unix-abstract:name`, { code: 'INSTANCE_BAD_ARGUMENTS' });
  }
  return path;
}
