import { type Command, Option } from 'commander';
import { defaultConfigPath } from '../config/config-path.js';

/** The options every cluster-facing command takes. */
export interface ConfigOptions {
  readonly configPath: string;
  readonly configProperty: string[];
  readonly verbose?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds --config-path, --config-property (repeatable) and --verbose. */
export function addConfigOptions(command: Command): Command {
  return command
    .option('--config-path <dir>', 'the directory holding one sub-directory of YAML files per cluster', defaultConfigPath())
    .option('--config-property <key=value>', 'override a config key; repeatable; the value is read as YAML (2, true, [a, b])', collect, [])
    .option('--verbose', 'print debug logs, and stack traces on errors');
}

/** A --format option limited to `choices`. */
export function formatOption(flags: string, choices: readonly string[], description = 'output format'): Option {
  return new Option(flags, description).choices(choices).default(choices[0]);
}
