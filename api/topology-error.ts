import { EgretError } from '../core/errors.js';

export type TopologyErrorCode =
  /** The topology breaks a rule of the model; `problems` lists each one. */
  | 'TOPOLOGY_INVALID'
  /** A topology config value has the wrong type or range. */
  | 'TOPOLOGY_CONFIG_INVALID'
  /** The topology file does not exist or cannot be read. */
  | 'TOPOLOGY_FILE_NOT_FOUND'
  /** The topology file could not be parsed or its module failed to load. */
  | 'TOPOLOGY_LOAD_FAILED';

/** Thrown for a topology that cannot be built, loaded or used; the message says which component and why. */
export class TopologyError extends EgretError<TopologyErrorCode> {
  /** One line per problem found, each naming the component (or key) and the rule. */
  readonly problems: readonly string[];

  constructor(message: string, options: { code: TopologyErrorCode; problems?: readonly string[]; cause?: unknown }) {
    super(message, options);
    this.problems = options.problems ?? [message];
  }

  /** A TOPOLOGY_INVALID error listing every problem. */
  static invalid(topology: string, problems: readonly string[]): TopologyError {
    const heading = `topology '${topology}' is invalid`;
    const message = problems.length === 1 ? `${heading}: ${problems[0]}` : `${heading}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    return new TopologyError(message, { code: 'TOPOLOGY_INVALID', problems });
  }
}
