import { ConfigError } from '../config/config-error.js';
import { isEgretError } from '../errors.js';
import { PluginError } from '../plugins/plugin-error.js';
import { TopologyError } from '../../api/topology-error.js';
import { UsageError } from './usage-error.js';

/**
 * The exit codes of every `egret` command. Documented in the README and in `egret --help`; scripts may rely on them.
 */
export const ExitCode = {
  /** The command did what it was asked. */
  OK: 0,
  /** A bug in Egret: an error nobody anticipated (the stack trace is printed). */
  INTERNAL: 1,
  /** The command line is wrong: unknown command or option, missing argument. */
  USAGE: 2,
  /** The configuration is wrong: unknown cluster, bad YAML, bad --config-property, unknown or misconfigured plugin. */
  CONFIG: 3,
  /** The topology is wrong: missing file, syntax error, failed validation. */
  TOPOLOGY: 4,
  /** The operation failed: packing, upload, launch, state, scheduler (the message says which step and why). */
  FAILED: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an error thrown by a command. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.USAGE;
  if (error instanceof ConfigError || error instanceof PluginError) return ExitCode.CONFIG;
  if (error instanceof TopologyError) return ExitCode.TOPOLOGY;
  if (isEgretError(error)) return ExitCode.FAILED;
  return ExitCode.INTERNAL;
}

/** The exit codes as help text. */
export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  internal error (a bug; the stack trace is printed)
  2  usage error (unknown command or option, missing argument)
  3  configuration error (cluster, YAML, --config-property, plugin selection or plugin config)
  4  topology error (missing file, syntax error, validation)
  5  operation failed (packing, upload, launch, state, scheduler)`;
