import type { ClusterTarget } from '../config/cluster-target.js';
import { configVariables } from '../config/config-variables.js';
import { UsageError } from './usage-error.js';

const PART = /^[A-Za-z0-9_.-]+$/;

/** Parses `<cluster>[/<role>[/<env>]]`; role defaults to the OS user and environment to `default`. */
export function parseClusterTarget(text: string): ClusterTarget {
  const parts = text.split('/');
  if (parts.length > 3 || parts.some((part) => !PART.test(part))) {
    throw new UsageError(`'${text}' is not <cluster>[/<role>[/<env>]] (each part letters, digits, '.', '_' or '-')`);
  }
  const [cluster = '', role, environment] = parts;
  const defaults = configVariables({ cluster, ...(role === undefined ? {} : { role }), ...(environment === undefined ? {} : { environment }) });
  return { cluster, role: defaults.ROLE, environment: defaults.ENVIRON };
}
