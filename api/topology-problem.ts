/** One broken rule of a topology, found by `findTopologyProblems`. */
export interface TopologyProblem {
  /**
   * Where the problem is, as a path into the spec form (`['bolts', 0, 'inputs', 1]`, `['spouts', 0, 'outputs',
   * 'default']`); empty for the topology as a whole. Spec files use it to point into the file.
   */
  readonly path: readonly (string | number)[];
  /** A sentence naming the component (and stream, field or key) and the rule it breaks. */
  readonly message: string;
}

export type ReportProblem = (path: readonly (string | number)[], message: string) => void;

const NAME = /^[A-Za-z0-9_-]+$/;

/** Why `name` is not a valid topology, component or stream name, or undefined when it is valid. */
export function nameProblem(name: unknown, what: string, reservedFor?: string): string | undefined {
  if (typeof name !== 'string') return `${what} must be a string, got ${describeValue(name)}`;
  if (name === '') return `${what} must not be empty`;
  if (!NAME.test(name)) return `${what} '${name}' may contain only letters, digits, '_' and '-'`;
  if (reservedFor !== undefined && name.startsWith('__')) return `${what} '${name}' starts with '__', which is reserved for ${reservedFor}`;
  return undefined;
}

/** A short description of a value of any type, for "got ..." in messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `'a', 'b', 'c'`. */
export function quoteList(items: Iterable<string>): string {
  return [...items].map((item) => `'${item}'`).join(', ');
}
